import { analyse } from 'chardet'

import { AppError } from '../errors/app-error'
import type { ImportEncoding } from './import-definitions'

export type DetectedEncoding = { encoding: Exclude<ImportEncoding, 'auto'>; bomBytes: number; detected: boolean }

/** chardet's names as TextDecoder labels we offer; ISO-8859-1 is read as Windows-1252, its superset (Excel's "ANSI"). */
const FROM_CHARDET: Record<string, Exclude<ImportEncoding, 'auto'>> = {
  'UTF-8': 'utf-8',
  'UTF-16LE': 'utf-16le',
  'UTF-16BE': 'utf-16be',
  'ISO-8859-1': 'windows-1252',
  'windows-1252': 'windows-1252',
  'ISO-8859-2': 'iso-8859-2',
  'windows-1250': 'windows-1250',
  'windows-1251': 'windows-1251',
  'KOI8-R': 'koi8-r',
  Shift_JIS: 'shift_jis',
  'EUC-JP': 'euc-jp',
  GB18030: 'gb18030',
  Big5: 'big5',
  'EUC-KR': 'euc-kr',
}

export const BINARY = 'This file is not a text file (it holds binary data): export your contacts as CSV and upload that.'
const CANNOT_READ = 'We could not tell which character encoding this file uses. Save it as “CSV UTF-8” (in Excel: Save As → CSV UTF-8), or choose its encoding.'

/** Whether the bytes are UTF-8 (a character cut at the end of the sample is fine). */
const isUTF8 = (sample: Uint8Array): boolean => {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true })
    return true
  } catch {
    return false
  }
}

/** Zero bytes at mostly odd (or even) positions: UTF-16 text without a byte order mark. */
const utf16Without = (sample: Uint8Array): 'utf-16le' | 'utf-16be' | null => {
  let odd = 0
  let even = 0
  for (let i = 0; i < sample.length; i++) {
    if (sample[i] !== 0) continue
    if (i % 2) odd++
    else even++
  }
  const half = sample.length / 2
  if (odd > half * 0.4 && even < half * 0.05) return 'utf-16le'
  if (even > half * 0.4 && odd < half * 0.05) return 'utf-16be'
  return null
}

/** Whether a file's first bytes are binary data rather than text in any encoding we read. */
export const isBinarySample = (sample: Uint8Array): boolean => {
  const starts = (...bytes: number[]) => bytes.every((byte, i) => sample[i] === byte)
  if (starts(0xff, 0xfe) || starts(0xfe, 0xff)) return false
  return sample.includes(0) && utf16Without(sample) === null
}

/**
 * The encoding to read a CSV file with, from its first bytes: a byte order mark wins; else a declared
 * encoding; else UTF-8 when the bytes are UTF-8; else chardet's best guess among the encodings we
 * offer. A file that is not text, or whose encoding cannot be told, is refused with a sentence.
 */
export const detectEncoding = (sample: Uint8Array, declared: ImportEncoding = 'auto'): DetectedEncoding => {
  const starts = (...bytes: number[]) => bytes.every((byte, i) => sample[i] === byte)
  if (starts(0xff, 0xfe, 0, 0) || starts(0, 0, 0xfe, 0xff)) throw new AppError('INVALID_INPUT', 'This file is in UTF-32, which we do not read: save it as “CSV UTF-8”.')
  if (starts(0xef, 0xbb, 0xbf)) return { encoding: 'utf-8', bomBytes: 3, detected: true }
  if (starts(0xff, 0xfe)) return { encoding: 'utf-16le', bomBytes: 2, detected: true }
  if (starts(0xfe, 0xff)) return { encoding: 'utf-16be', bomBytes: 2, detected: true }
  if (declared !== 'auto') return { encoding: declared, bomBytes: 0, detected: false }
  const utf16 = utf16Without(sample)
  if (utf16) return { encoding: utf16, bomBytes: 0, detected: true }
  if (sample.includes(0)) throw new AppError('INVALID_INPUT', BINARY)
  if (isUTF8(sample)) return { encoding: 'utf-8', bomBytes: 0, detected: true }
  for (const guess of analyse(sample)) {
    const encoding = FROM_CHARDET[guess.name]
    if (encoding && encoding !== 'utf-8' && guess.confidence >= 10) return { encoding, bomBytes: 0, detected: true }
  }
  throw new AppError('INVALID_INPUT', CANNOT_READ)
}
