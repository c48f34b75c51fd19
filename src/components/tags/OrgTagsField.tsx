'use client'
import { FieldDescription, FieldError, FieldLabel, useField, useFormFields } from '@payloadcms/ui'
import { mergeFieldStyles } from '@payloadcms/ui/shared'
import type { TextFieldClientComponent } from 'payload'
import React from 'react'

import { TagsInput, useOrgTags } from './TagsInput'

const idOf = (value: unknown): number | undefined => {
  const raw = value && typeof value === 'object' && 'id' in value ? (value as { id: unknown }).id : value
  const id = typeof raw === 'string' ? Number(raw) : raw
  return typeof id === 'number' && Number.isFinite(id) ? id : undefined
}

/** A `hasMany` text field of tags, as chips, offering the tags the org's contacts already carry. */
export const OrgTagsField: TextFieldClientComponent = ({ field, path, readOnly }) => {
  const { value, setValue, showError } = useField<string[] | null>({ path })
  const org = idOf(useFormFields(([fields]) => fields.org?.value))
  const suggestions = useOrgTags(org)
  const label = typeof field.label === 'string' ? field.label : path
  return (
    <div className={`field-type org-tags${showError ? ' error' : ''}`} data-testid={`tags-${path}`} style={mergeFieldStyles(field)}>
      <FieldLabel label={field.label} path={path} required={field.required} />
      <FieldError path={path} showError={showError} />
      <TagsInput disabled={Boolean(readOnly || field.admin?.readOnly)} label={label} onChange={(values) => setValue(values.length ? values : null)} suggestions={suggestions} values={Array.isArray(value) ? value : []} />
      {/* How to type a tag helps only where one can be typed. */}
      {!(readOnly || field.admin?.readOnly) && <FieldDescription description={field.admin?.description} path={path} />}
    </div>
  )
}
