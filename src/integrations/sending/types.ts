/**
 * What every channel's transport (email, SMS, …) shares with the sending engine: a failure
 * classification, one result per message, and how many messages one process may have in flight.
 * Integrations know no domain: these types say nothing of jobs, recipients or the database.
 */

/** Failure classification drives the engine: permanent ends at once, transient retries with backoff. */
export class SendError extends Error {
  constructor(
    message: string,
    readonly kind: 'permanent' | 'transient',
    readonly providerCode: string | null,
    /** The receiving side refused the address itself (a hard bounce, an opted-out number): it should receive nothing more. */
    readonly addressRejected = false,
    /**
     * The provider account or its configuration is at fault (credentials refused, host not allowed),
     * not this message: every message would fail alike, so the engine counts it towards pausing the
     * job instead of failing recipients.
     */
    readonly accountLevel = false,
  ) {
    super(message)
    this.name = 'SendError'
  }
}

/** The outcome of one message of a batch: a batch never throws, each message succeeds or fails on its own. */
export type SendOutcome = { ok: true; providerMessageID: string | null } | { ok: false; error: SendError }

/** A channel's transport as the engine sees it. */
export type MessageTransport<M> = {
  readonly kind: string
  /**
   * How many messages this transport has on the wire at once (open connections, or the messages of the
   * requests it keeps open). The engine never hands more than this to it per process, so a crash leaves at
   * most this many messages with an unknown outcome.
   */
  readonly maxInFlight: number
  /**
   * Many messages travel in one request (SendGrid's personalizations): the engine hands them over
   * together. Otherwise each message goes on its own (one SMTP transaction, one SMS request).
   */
  readonly packsMessages?: boolean
  /** Sends many messages; resolves with one result per message, in the order given, and never rejects. */
  sendBatch: (messages: M[]) => Promise<SendOutcome[]>
  close: () => Promise<void>
}
