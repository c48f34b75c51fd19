import React from 'react'

import { type StatusKind, statusLabel, statusTone } from '@/services/vocabulary/statuses'

import './status-pill.scss'

/** A status as a pill, with its one label and colour (see STATUS_VOCABULARY). */
export const StatusPill = ({ kind, value, testID }: { kind: StatusKind; value: unknown; testID?: string }) => (
  <span className={`status-pill status-pill--${statusTone(kind, value)}`} data-status={typeof value === 'string' ? value : undefined} data-testid={testID}>
    {statusLabel(kind, value)}
  </span>
)
