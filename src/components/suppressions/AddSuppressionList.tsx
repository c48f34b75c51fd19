'use client'
import { Button, toast } from '@payloadcms/ui'
import React, { useId, useState } from 'react'

import './suppressions.scss'

export type ListOption = { label: string; value: string }
type Result = { alreadySuppressed: number; created: number; invalid: { reason: string; value: string }[] }

/** The value of the "Global opt-out list" option (the endpoint takes `org: null`). */
export const GLOBAL_LIST = 'global'

// The same split as the server's (lines, commas, semicolons, tabs), only to count what was pasted.
const countEntries = (text: string) => text.split(/[\n\r,;\t]+/).filter((entry) => entry.trim()).length

/**
 * "Add a list": pasted addresses become active manual suppressions of one list (an org the user
 * administers, or the global list for a super admin). The server validates each entry; the ones it
 * refuses are listed with their reason and left in the box to correct.
 */
export const AddSuppressionList = ({ defaultList, lists, onAdded, onClose }: { defaultList: string; lists: ListOption[]; onAdded: () => void; onClose: () => void }) => {
  const id = useId()
  const [text, setText] = useState('')
  const [list, setList] = useState(defaultList)
  const [channel, setChannel] = useState<'email' | 'sms'>('email')
  const [note, setNote] = useState('')
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<null | Result>(null)
  const [error, setError] = useState<null | string>(null)
  const entries = countEntries(text)

  const submit = async (event: React.FormEvent) => {
    event.preventDefault()
    if (!entries || busy) return
    setBusy(true)
    setError(null)
    try {
      const res = await fetch('/api/suppressions/bulk', {
        method: 'POST',
        credentials: 'include',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ org: list === GLOBAL_LIST ? null : Number(list), channel, addresses: text, note: note.trim() || undefined }),
      })
      const body = await res.json().catch(() => ({}))
      if (!res.ok) {
        const message = body?.errors?.[0]?.message ?? 'The list could not be added.'
        const invalid = body?.errors?.[0]?.details?.invalid
        // Nothing valid at all: still name each entry and why, as for a partly valid list.
        setResult(Array.isArray(invalid) ? { created: 0, alreadySuppressed: 0, invalid } : null)
        setError(message)
        toast.error(message)
        return
      }
      const added = body as Result
      setResult(added)
      setText(added.invalid.map((entry) => entry.value).join('\n'))
      toast.success(`${added.created} added, ${added.alreadySuppressed} already suppressed${added.invalid.length ? `, ${added.invalid.length} invalid` : ''}.`)
      onAdded()
    } catch {
      setError('The server could not be reached.')
      toast.error('The server could not be reached.')
    } finally {
      setBusy(false)
    }
  }

  return (
    <form aria-labelledby={`${id}-title`} className="suppressions-add" data-testid="add-suppression-list" onSubmit={submit}>
      <div className="suppressions-add__head">
        <h4 id={`${id}-title`}>Add a list of addresses</h4>
        <p className="suppressions-muted">Each valid address becomes an active manual suppression; nothing is sent to it any more.</p>
      </div>
      <div className="suppressions-add__grid">
        <div className="suppressions-add__field">
          <label htmlFor={`${id}-addresses`}>Addresses</label>
          <textarea
            className="suppressions-input"
            id={`${id}-addresses`}
            name="addresses"
            onChange={(e) => setText(e.target.value)}
            placeholder={'one@example.com\nTwo Person <two@example.com>; three@example.com'}
            rows={6}
            value={text}
          />
          <p className="suppressions-muted">
            One per line, or separated by commas or semicolons; “Name &lt;address&gt;” works too.
            {entries > 0 && <strong> {entries === 1 ? '1 entry' : `${entries} entries`}.</strong>}
          </p>
        </div>
        <div className="suppressions-add__side">
          <div className="suppressions-add__field">
            <label htmlFor={`${id}-list`}>List</label>
            <select className="suppressions-input" id={`${id}-list`} name="list" onChange={(e) => setList(e.target.value)} value={list}>
              {lists.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </select>
          </div>
          <div className="suppressions-add__field">
            <label htmlFor={`${id}-channel`}>Channel</label>
            <select className="suppressions-input" id={`${id}-channel`} name="channel" onChange={(e) => setChannel(e.target.value as 'email' | 'sms')} value={channel}>
              <option value="email">Email addresses</option>
              <option value="sms">Phone numbers (SMS)</option>
            </select>
          </div>
          <div className="suppressions-add__field">
            <label htmlFor={`${id}-note`}>
              Note <span className="suppressions-muted">(optional)</span>
            </label>
            <input className="suppressions-input" id={`${id}-note`} maxLength={1000} name="note" onChange={(e) => setNote(e.target.value)} placeholder="Where the list comes from" value={note} />
          </div>
        </div>
      </div>
      <div className="suppressions-add__actions">
        <Button buttonStyle="primary" disabled={busy || entries === 0} margin={false} size="medium" type="submit">
          {busy ? 'Adding…' : 'Add to the list'}
        </Button>
        <Button buttonStyle="secondary" margin={false} onClick={onClose} size="medium" type="button">
          Close
        </Button>
      </div>
      {error && (
        <p className="suppressions-add__error" role="alert">
          {error}
        </p>
      )}
      {result && (
        <div className={`suppressions-add__result${result.invalid.length ? ' suppressions-add__result--warning' : ''}`} data-testid="bulk-result" role="status">
          <strong>
            {result.created} added, {result.alreadySuppressed} already suppressed.
          </strong>
          {result.invalid.length > 0 && (
            <>
              <p>
                {result.invalid.length === 1 ? '1 entry was' : `${result.invalid.length} entries were`} not added; {result.invalid.length === 1 ? 'it is' : 'they are'} left in
                the box to correct:
              </p>
              <ul data-testid="invalid-entries">
                {result.invalid.map((entry, index) => (
                  <li key={`${index}-${entry.value}`}>
                    <code>{entry.value}</code> — {entry.reason}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </form>
  )
}
