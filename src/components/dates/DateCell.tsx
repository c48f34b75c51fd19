'use client'
import type { DefaultCellComponentProps } from 'payload'
import React from 'react'

import { DateTime } from './DateTime'

/** A list's date cell: the viewer's (or the row's organisation's) locale and zone, the full timestamp as tooltip. */
export const DateCell = ({ cellData, rowData }: DefaultCellComponentProps) => <DateTime org={(rowData as { org?: unknown } | undefined)?.org} value={cellData as string | undefined} />
