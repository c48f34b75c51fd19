'use client'
import { DateTimeField, FieldDescription, FieldLabel, useField, useFormFields } from '@payloadcms/ui'
import type { DateFieldClientProps } from 'payload'
import React from 'react'

import { DateTime } from './DateTime'

/**
 * Every date field on an edit page. One the person cannot change (recorded by the system, or read-only for
 * their role) reads as text in the admin's one date style: the organisation's (or their own) locale and
 * zone, the full timestamp and zone on hover, a dash when empty; never a disabled picker in the browser's
 * US style. One they can change stays Payload's picker, whose display format the datePresentation plugin
 * makes unambiguous ("6 Dec 2026, 14:05", never "12/06/2026").
 */
export const DateField = (props: DateFieldClientProps) => {
  const { field, path, readOnly } = props
  const { value } = useField<string>({ path })
  const org = useFormFields(([fields]) => fields.org?.value)
  if (!readOnly && !field.admin?.readOnly) return <DateTimeField {...props} />
  const description = typeof field.admin?.description === 'string' ? field.admin.description : undefined
  return (
    <div className="field-type date-time-field read-only" data-testid={`date-field-${path}`}>
      <FieldLabel label={field.label ?? field.name} path={path} />
      <div className="date-field__value">
        <DateTime org={org} value={value} />
      </div>
      {description && <FieldDescription description={description} path={path} />}
    </div>
  )
}
