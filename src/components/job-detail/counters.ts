export const COUNTER_NAMES = ['total', 'pending', 'sent', 'delivered', 'failed', 'excluded', 'unknown'] as const
export type Counter = (typeof COUNTER_NAMES)[number]
