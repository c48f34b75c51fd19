/** The GSM 03.38 default alphabet: one 7-bit unit each. */
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
)
/** Its extension table: an escape plus the character, two units each. */
const GSM_EXTENDED = new Set('^{}\\[~]|€\f')

export type SmsSegments = {
  encoding: 'GSM-7' | 'UCS-2'
  /** Characters as the network counts them: GSM-7 septets, or UTF-16 code units. */
  units: number
  segments: number
  /** Units per segment for this length: 160/70 for one segment, 153/67 each when split. */
  perSegment: number
  /** Units left in the last segment. */
  remaining: number
}

/**
 * How a text travels as SMS: GSM-7 when every character is in the GSM alphabet (extension characters
 * count twice), else UCS-2 (UTF-16 units: an emoji counts twice). One segment holds 160 or 70 units; a
 * longer message is split into segments of 153 or 67 (the rest carries the reassembly header).
 */
export const countSmsSegments = (text: string): SmsSegments => {
  let septets = 0
  let gsm = true
  for (const char of text) {
    if (GSM_BASIC.has(char)) septets += 1
    else if (GSM_EXTENDED.has(char)) septets += 2
    else {
      gsm = false
      break
    }
  }
  const encoding = gsm ? 'GSM-7' : 'UCS-2'
  const units = gsm ? septets : text.length
  const single = gsm ? 160 : 70
  const multi = gsm ? 153 : 67
  const segments = units === 0 ? 0 : units <= single ? 1 : Math.ceil(units / multi)
  const perSegment = segments > 1 ? multi : single
  const remaining = segments === 0 ? single : segments * perSegment - units
  return { encoding, units, segments, perSegment, remaining }
}
