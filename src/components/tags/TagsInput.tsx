'use client'
import { useConfig } from '@payloadcms/ui'
import React, { useEffect, useId, useState } from 'react'

import './tags-input.scss'

/** One read of an org's tags shared by every tag field of the page (a job form has two), for 30 s. */
const TAGS_FRESH_MS = 30_000
const tagReads = new Map<string, { at: number; tags: Promise<string[]> }>()
const readOrgTags = (url: string): Promise<string[]> => {
  const cached = tagReads.get(url)
  if (cached && Date.now() - cached.at < TAGS_FRESH_MS) return cached.tags
  const tags = fetch(url, { credentials: 'include' })
    .then((res) => (res.ok ? res.json() : { tags: [] }))
    .then((body: { tags?: string[] }) => body.tags ?? [])
    .catch(() => {
      tagReads.delete(url)
      return [] as string[]
    })
  tagReads.set(url, { at: Date.now(), tags })
  return tags
}

/** The tags the org's contacts carry (`GET /api/contacts/tags`), offered while typing a tag. */
export const useOrgTags = (org: number | undefined): string[] => {
  const { config } = useConfig()
  const [tags, setTags] = useState<string[]>([])
  useEffect(() => {
    if (org === undefined) return setTags([])
    let current = true
    void readOrgTags(`${config.routes.api}/contacts/tags?org=${org}`).then((read) => current && setTags(read))
    return () => {
      current = false
    }
  }, [org, config.routes.api])
  return tags
}

/** Tags as chips: type one and press Enter or a comma (the org's tags are offered); × removes one. */
export const TagsInput = ({ values, onChange, suggestions, disabled, label }: { values: string[]; onChange: (values: string[]) => void; suggestions: string[]; disabled: boolean; label: string }) => {
  const [draft, setDraft] = useState('')
  const listID = useId()
  const add = (raw: string) => {
    const tag = raw.trim()
    setDraft('')
    if (tag && !values.includes(tag)) onChange([...values, tag])
  }
  return (
    <span className="tags-input">
      {disabled && !values.length && <span className="tags-input__none">None</span>}
      {values.map((tag) => (
        <span className="tags-input__chip" key={tag}>
          {tag}
          {!disabled && (
            <button aria-label={`Remove tag ${tag}`} onClick={() => onChange(values.filter((v) => v !== tag))} type="button">
              ×
            </button>
          )}
        </span>
      ))}
      {!disabled && (
        <input
          aria-label={label}
          list={listID}
          onBlur={() => draft.trim() && add(draft)}
          onChange={(e) => {
            const typed = e.target.value
            // Picking a suggestion fills the whole value: take it as a tag at once.
            if (suggestions.includes(typed) && !(e.nativeEvent as InputEvent).inputType?.startsWith('insertText')) add(typed)
            else if (typed.endsWith(',')) add(typed.slice(0, -1))
            else setDraft(typed)
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault()
              add(draft)
            } else if (e.key === 'Backspace' && !draft && values.length) onChange(values.slice(0, -1))
          }}
          placeholder={values.length ? 'Add a tag…' : 'Type a tag, press Enter'}
          value={draft}
        />
      )}
      <datalist id={listID}>
        {suggestions.filter((tag) => !values.includes(tag)).map((tag) => (
          <option key={tag} value={tag} />
        ))}
      </datalist>
    </span>
  )
}

