import type { StatusKind } from '@/services/vocabulary/statuses'

/** A status field's list cell: the shared pill (label and colour from STATUS_VOCABULARY). */
export const statusCell = (kind: StatusKind) => ({ Cell: { path: '@/components/status/StatusCell#StatusCell', clientProps: { kind } } })
