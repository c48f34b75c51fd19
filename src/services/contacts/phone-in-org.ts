import type { CountryCode } from 'libphonenumber-js'
import type { PayloadRequest } from 'payload'

import { toE164 } from '../imports/normalize-import-row'
import { parsePhoneNumber } from './parse-phone-number'

type Result = { ok: true; e164: string } | { ok: false; reason: string }

/** The org's default country (its SMS settings), read once per request. */
const defaultCountryOf = async (req: PayloadRequest, orgRef: number | string | undefined): Promise<null | string> => {
  const org = Number(orgRef)
  if (orgRef === undefined || !Number.isSafeInteger(org) || org <= 0) return null
  const cache = ((req.context as Record<string, unknown>).orgDefaultCountry ??= new Map<number, null | string>()) as Map<number, null | string>
  if (!cache.has(org)) {
    // Read as the user: another org's setting is never used, so an error message cannot reveal it (the
    // reference itself is refused by the tenant guards).
    const found = await req.payload.findByID({
      collection: 'organizations',
      id: org,
      depth: 0,
      req,
      disableErrors: true,
      select: { sms: { defaultCountry: true } },
      ...(req.user ? { user: req.user, overrideAccess: false } : {}),
    })
    cache.set(org, found?.sms?.defaultCountry?.toUpperCase() ?? null)
  }
  return cache.get(org) ?? null
}

/**
 * A phone number as an org stores it: E.164, with numbers written without a country code read in the
 * org's default country (the same rule as imports), or why it cannot be stored, as a phrase.
 */
export const phoneInOrg = async (req: PayloadRequest, org: number | string | undefined, value: string): Promise<Result> => {
  const country = await defaultCountryOf(req, org)
  const e164 = toE164(value, (country ?? undefined) as CountryCode | undefined)
  if (e164) return { ok: true, e164 }
  const parsed = parsePhoneNumber(value, country)
  return { ok: false, reason: parsed.ok ? 'it is not a possible number' : parsed.reason }
}
