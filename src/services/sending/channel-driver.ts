import type { PoolClient } from 'pg'

import type { MessageTransport, SendError } from '@/integrations/sending/types'

import type { SuppressionCandidate } from '../suppressions/suppress-addresses'
import type { ClaimedRecipient } from './claim-next-batch'
import type { ActiveSuppression } from './find-active-suppressions'

/** The settings the engine itself reads from a job's snapshot, whatever the channel. */
export type EngineSettings = {
  provider: string
  batchSize: number
  batchDelaySeconds: number
  retryDelaySeconds: number
  maxRetries: number
  perSecondLimit?: null | number
  perMinuteLimit: number
  pauseAfterFailures?: number
}

/** What the engine knows of a job: which one, whose, and its settings. A channel's context adds its own. */
export type EngineContext = { jobID: number; org: { id: number }; settings: EngineSettings }

/**
 * All a channel supplies to the one sending engine (claims, hand-off, leases, pacing, retries, the
 * circuit breaker, counters and finalisation are the engine's): its transport, its message builder,
 * its suppression rule and what a refused address means. Never `if (channel === …)` in the engine.
 */
export type ChannelDriver<M, C extends EngineContext = EngineContext> = {
  readonly channel: 'email' | 'sms'
  /** The transport for this job's provider account (shared across batches and jobs). */
  transport: (context: C) => MessageTransport<M>
  /** The active suppressions of this channel among `addresses`, by address. */
  findSuppressed: (client: PoolClient, context: C, addresses: string[]) => Promise<Map<string, ActiveSuppression>>
  /** The messages for these recipients, in order. Throwing fails this batch's attempt as a whole (retried). */
  buildMessages: (context: C, recipients: ClaimedRecipient[], transport: MessageTransport<M>, secret?: string) => M[]
  /** A suppression to record when the provider refused the address itself (hard bounce, opted-out number). */
  rejectedAddress?: (context: C, recipient: ClaimedRecipient, error: SendError) => SuppressionCandidate | null
  /** Who the audit log names for such a suppression, e.g. "SMTP bounce". */
  readonly rejectedBy: string
}

/** The account a job's rates apply to: one pace per org, channel and provider, shared by all its jobs and workers. */
export const rateKeyOf = (channel: string, context: { org: { id: number }; settings: { provider: string } }): string => `${channel}:org:${context.org.id}:${context.settings.provider}`
