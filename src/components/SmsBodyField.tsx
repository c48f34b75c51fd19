'use client'
import { TextareaField, useField } from '@payloadcms/ui'
import type { TextareaFieldClientComponent } from 'payload'
import React from 'react'

import { countSmsSegments } from '@/services/templates/count-sms-segments'
import { buildTemplateVariables, SAMPLE_CONTACT } from '@/services/templates/template-variables'

/** The preview's sample contact (the template preview's), so the count is close to what recipients get. */
const SAMPLE: Record<string, string> = buildTemplateVariables({
  contact: SAMPLE_CONTACT,
  org: { name: 'Your organisation' },
  unsubscribeUrl: 'https://example.com/u/xxxxxxxxxxxxxxxxxxxxxxxx',
})

const withSampleValues = (source: string): string =>
  source.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (whole, name: string) => SAMPLE[name] ?? whole).trim()

/**
 * The SMS text box with a live count under it: characters as the network counts them, the encoding
 * (GSM-7, or UCS-2 once one character is outside the GSM alphabet) and the segments it will be billed
 * as (160/153 or 70/67 per segment), counted with a sample contact's values.
 */
export const SmsBodyField: TextareaFieldClientComponent = (props) => {
  const { value } = useField<string>({ path: props.path })
  const sample = withSampleValues(typeof value === 'string' ? value : '')
  const count = countSmsSegments(sample)
  const warn = count.encoding === 'UCS-2' || count.segments > 1
  return (
    <div className="sms-body-field">
      <TextareaField {...props} />
      <p aria-live="polite" data-testid="sms-segment-count" style={{ marginTop: '-0.75rem', marginBottom: '1.5rem', color: warn ? 'var(--theme-warning-650)' : 'var(--theme-elevation-650)' }}>
        {count.units} characters · {count.encoding} · {count.segments} {count.segments === 1 ? 'segment' : 'segments'} ({count.remaining} left in this segment
        {count.segments > 1 ? `; ${count.perSegment} per segment when split` : ''})
        {count.encoding === 'UCS-2' ? ' — a character outside the GSM alphabet (an emoji, a curly quote) makes every segment hold 70, not 160.' : ''}
        <br />
        <small>Counted with a sample contact’s values: longer names add characters.</small>
      </p>
      {sample && (
        <figure style={{ margin: '0 0 1.5rem' }}>
          <figcaption style={{ color: 'var(--theme-elevation-650)', marginBottom: '0.35rem' }}>Preview for a sample contact (Ada Lovelace)</figcaption>
          <p
            data-testid="sms-preview"
            style={{ whiteSpace: 'pre-wrap', maxWidth: '26rem', margin: 0, padding: '0.6rem 0.8rem', borderRadius: '1rem 1rem 1rem 0.25rem', background: 'var(--theme-elevation-100)', color: 'var(--theme-text)' }}
          >
            {sample}
          </p>
        </figure>
      )}
    </div>
  )
}
