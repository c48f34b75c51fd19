import React, { type ReactNode } from 'react'

import { type StatusKind, statusLabel, statusTone, type Tone } from '@/services/vocabulary/statuses'

import './status-pill.scss'

/** A pill of one tone: statuses, and the few tags the job page shows beside them ("Not sent", a reason). */
export const Pill = ({ tone, children, testID, status }: { tone: Tone; children: ReactNode; testID?: string; status?: string }) => (
  <span className={`status-pill status-pill--${tone}`} data-status={status} data-testid={testID}>
    {children}
  </span>
)

/** A status as a pill, with its one label and colour (see STATUS_VOCABULARY); `children` replace the label. */
export const StatusPill = ({ kind, value, testID, children }: { kind: StatusKind; value: unknown; testID?: string; children?: ReactNode }) => (
  <Pill status={typeof value === 'string' ? value : undefined} testID={testID} tone={statusTone(kind, value)}>
    {children ?? statusLabel(kind, value)}
  </Pill>
)
