type Env = Record<string, string | undefined>

/**
 * Where an unsubscribe link points: `UNSUBSCRIBE_URL`, else `SITE_URL` (+ `/api/unsubscribe/<token>`);
 * with neither, a `mailto:` to `UNSUBSCRIBE_MAILTO`, else to the sending address.
 */
export const buildUnsubscribeUrl = ({
  env = process.env,
  fromAddress,
  token,
}: {
  env?: Env
  fromAddress: string
  token: string
}): string => {
  const base = env.UNSUBSCRIBE_URL?.trim() || env.SITE_URL?.trim()
  if (base) return `${base.replace(/\/+$/, '')}/api/unsubscribe/${encodeURIComponent(token)}`
  const mailbox = env.UNSUBSCRIBE_MAILTO?.trim() || fromAddress
  return `mailto:${mailbox}?subject=${encodeURIComponent(`unsubscribe ${token}`)}`
}
