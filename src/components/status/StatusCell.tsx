'use client'
import type { DefaultCellComponentProps } from 'payload'
import React from 'react'

import type { StatusKind } from '@/services/vocabulary/statuses'

import { StatusPill } from './StatusPill'

/** The list cell of a status field: the same pill as on the document's page and the home page. */
export const StatusCell = ({ cellData, kind }: DefaultCellComponentProps & { kind: StatusKind }) => <StatusPill kind={kind} value={cellData} />
