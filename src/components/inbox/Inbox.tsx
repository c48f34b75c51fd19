'use client'
import { Button, toast, useAuth, useConfig } from '@payloadcms/ui'
import React, { useCallback, useEffect, useMemo, useRef, useState } from 'react'

import { hasOrgPermission } from '@/access/orgAccess'
import { SuggestReplyButton } from '@/components/assistant/SuggestReplyButton'
import { DateTime } from '@/components/dates/DateTime'
import { statusLabel } from '@/services/vocabulary/statuses'

import './inbox.css'

type Contact = { id: number; email?: string; firstName?: null | string; lastName?: null | string; phone?: null | string }
type Conversation = {
  id: number
  org: number | { id: number; name?: string }
  title?: null | string
  address?: null | string
  contact?: Contact | null | number
  channels?: ('email' | 'sms')[] | null
  status: 'open' | 'closed'
  unread?: boolean | null
  assignee?: null | number | { id: number; email?: string }
  lastMessageAt?: null | string
}
type Message = {
  id: number
  direction: 'inbound' | 'outbound'
  channel: 'email' | 'sms'
  from: string
  to?: null | string
  subject?: null | string
  bodyText?: null | string
  bodyHtml?: null | string
  status: string
  error?: null | string
  attachments?: (number | { id: number; filename?: string })[] | null
  attachmentNote?: null | string
  createdAt: string
}
type ReplyChannel = { channel: 'email' | 'sms'; address: null | string; available: boolean; reason: null | string }
type Filter = { view: 'open' | 'unlinked' | 'mine' | 'closed' | 'all'; channel: '' | 'email' | 'sms' }

const POLL_MS = 4000
const idOf = (value: unknown): number | undefined => (value && typeof value === 'object' ? (value as { id: number }).id : typeof value === 'number' ? value : undefined)
const contactOf = (value: Conversation['contact']): Contact | null => (value && typeof value === 'object' ? value : null)
const nameOf = (c: Contact) => [c.firstName, c.lastName].filter(Boolean).join(' ') || c.email || `Contact ${c.id}`
const CHANNEL_LABEL = { email: 'Email', sms: 'SMS' } as const

const api = async <T,>(path: string, init: RequestInit = {}): Promise<{ ok: boolean; status: number; body: T & { errors?: { message: string; data?: { errors?: { message: string }[] } }[] } }> => {
  const res = await fetch(`/api${path}`, { credentials: 'include', ...init, headers: { 'content-type': 'application/json', ...(init.headers ?? {}) } })
  const body = await res.json().catch(() => ({}))
  return { ok: res.ok, status: res.status, body }
}
const errorOf = (body: { errors?: { message: string; data?: { errors?: { message: string }[] } }[] }, fallback: string) =>
  body.errors?.[0]?.data?.errors?.map((e) => e.message).join(' ') || body.errors?.[0]?.message || fallback

const listQuery = (filter: Filter, userID: number | undefined) => {
  const where: string[] = []
  let i = 0
  const add = (clause: string) => where.push(`where[and][${i++}]${clause}`)
  if (filter.view === 'open' || filter.view === 'unlinked' || filter.view === 'mine') add('[status][equals]=open')
  if (filter.view === 'closed') add('[status][equals]=closed')
  if (filter.view === 'unlinked') add('[contact][exists]=false')
  if (filter.view === 'mine' && userID !== undefined) add(`[assignee][equals]=${userID}`)
  if (filter.channel) add(`[channels][in]=${filter.channel}`)
  return `/conversations?${[...where, 'sort=-lastMessageAt', 'limit=50', 'depth=1'].join('&')}`
}

/**
 * The inbox: conversations (filtered by open, unlinked, mine, closed; by channel) updating while open,
 * the thread with the contact's card, linking or creating the contact of an unknown sender, and the
 * reply box offering only the channels the contact can be reached on. Everything goes through the
 * API, so what a role may see and do is the server's decision; the page only hides what would fail.
 */
export const Inbox = () => {
  const { user } = useAuth()
  const { config } = useConfig()
  const admin = config.routes.admin
  const [filter, setFilter] = useState<Filter>({ view: 'open', channel: '' })
  const [list, setList] = useState<Conversation[] | null>(null)
  const [total, setTotal] = useState(0)
  const [selectedID, setSelectedID] = useState<number | null>(null)
  const [messages, setMessages] = useState<Message[]>([])
  const [channels, setChannels] = useState<ReplyChannel[]>([])
  const [loadError, setLoadError] = useState<null | string>(null)

  const selected = useMemo(() => list?.find((c) => c.id === selectedID) ?? null, [list, selectedID])
  const org = selected ? idOf(selected.org) : undefined
  const canReply = Boolean(user && org !== undefined && hasOrgPermission(user, org, 'inbound.reply'))
  const canLink = Boolean(user && org !== undefined && hasOrgPermission(user, org, 'inbound.link'))
  const canSuggest = Boolean(user && org !== undefined && hasOrgPermission(user, org, 'assistant.use'))

  const loadList = useCallback(async () => {
    const res = await api<{ docs: Conversation[]; totalDocs: number }>(listQuery(filter, user?.id as number | undefined))
    if (!res.ok) return setLoadError(errorOf(res.body, 'The conversations could not be loaded.'))
    setLoadError(null)
    setList(res.body.docs)
    setTotal(res.body.totalDocs)
  }, [filter, user?.id])

  const loadThread = useCallback(async (id: number) => {
    const thread = await api<{ docs: Message[] }>(`/messages?where[conversation][equals]=${id}&sort=createdAt&limit=200&depth=1&select[attachments]=true&select[direction]=true&select[channel]=true&select[from]=true&select[to]=true&select[subject]=true&select[bodyText]=true&select[bodyHtml]=true&select[status]=true&select[error]=true&select[attachmentNote]=true&select[createdAt]=true`)
    if (thread.ok) setMessages(thread.body.docs)
  }, [])

  // The list and the open thread refresh every few seconds: new replies appear without a reload.
  useEffect(() => {
    void loadList()
    const timer = setInterval(() => void loadList(), POLL_MS)
    return () => clearInterval(timer)
  }, [loadList])
  useEffect(() => {
    if (selectedID === null) return
    void loadThread(selectedID)
    const timer = setInterval(() => void loadThread(selectedID), POLL_MS)
    return () => clearInterval(timer)
  }, [selectedID, loadThread])
  // Where a reply can go changes with the contact (linking, suppressions), not with every poll.
  const contactKey = selected ? `${selected.id}:${idOf(selected.contact) ?? ''}` : ''
  useEffect(() => {
    if (!contactKey) return setChannels([])
    const id = Number(contactKey.split(':')[0])
    let live = true
    void api<{ channels: ReplyChannel[] }>(`/conversations/${id}/reply-channels`).then((reach) => {
      if (live && reach.ok) setChannels(reach.body.channels)
    })
    return () => {
      live = false
    }
  }, [contactKey])
  // Opening an unread conversation marks it read (for those who work the inbox).
  useEffect(() => {
    if (selected?.unread && canReply) void api(`/conversations/${selected.id}`, { method: 'PATCH', body: JSON.stringify({ unread: false }) }).then(loadList)
  }, [selected?.id, selected?.unread, canReply, loadList])

  const change = async (data: Record<string, unknown>, done: string) => {
    if (!selected) return
    const res = await api(`/conversations/${selected.id}`, { method: 'PATCH', body: JSON.stringify(data) })
    if (!res.ok) return toast.error(errorOf(res.body, 'The conversation could not be changed.'))
    toast.success(done)
    void loadList()
  }
  const setStatus = (status: 'open' | 'closed') => change({ status }, status === 'closed' ? 'Conversation closed.' : 'Conversation reopened.')
  const mine = selected && idOf(selected.assignee) === user?.id

  return (
    <div className="inbox" data-testid="inbox">
      <header className="inbox__header">
        <h1>Inbox</h1>
        <p className="inbox__muted">Replies to your emails and texts, one conversation per person. {list ? `${total} ${total === 1 ? 'conversation' : 'conversations'}` : ''}</p>
      </header>
      <div className="inbox__filters" role="toolbar" aria-label="Filter conversations">
        {(['open', 'unlinked', 'mine', 'closed', 'all'] as const).map((view) => (
          <button aria-pressed={filter.view === view} className="inbox__chip" key={view} onClick={() => setFilter({ ...filter, view })} type="button">
            {{ open: 'Open', unlinked: 'Unlinked', mine: 'Assigned to me', closed: 'Closed', all: 'All' }[view]}
          </button>
        ))}
        <select aria-label="Channel" onChange={(e) => setFilter({ ...filter, channel: e.target.value as Filter['channel'] })} value={filter.channel}>
          <option value="">Every channel</option>
          <option value="email">Email</option>
          <option value="sms">SMS</option>
        </select>
      </div>
      {loadError && <p className="inbox__error">{loadError}</p>}
      <div className="inbox__body">
        <ul aria-label="Conversations" className="inbox__list" data-testid="inbox-list">
          {list === null && <li className="inbox__muted">Loading…</li>}
          {list?.length === 0 && <li className="inbox__empty">Nothing here. Replies to your emails and SMS appear as they arrive.</li>}
          {list?.map((c) => {
            const contact = contactOf(c.contact)
            return (
              <li key={c.id}>
                <button aria-current={c.id === selectedID} className={`inbox__item${c.unread ? ' inbox__item--unread' : ''}`} data-testid={`conversation-${c.id}`} onClick={() => setSelectedID(c.id)} type="button">
                  <span className="inbox__item-title">{contact ? nameOf(contact) : c.title || c.address}</span>
                  <span className="inbox__item-meta">
                    {!contact && <span className="inbox__pill inbox__pill--warn">Unlinked</span>}
                    {(c.channels ?? []).map((ch) => (
                      <span className="inbox__pill" key={ch}>
                        {CHANNEL_LABEL[ch]}
                      </span>
                    ))}
                    {c.status === 'closed' && <span className="inbox__pill">Closed</span>}
                    <span className="inbox__muted"><DateTime value={c.lastMessageAt} /></span>
                  </span>
                </button>
              </li>
            )
          })}
        </ul>
        <section aria-label="Conversation" className="inbox__thread" data-testid="inbox-thread">
          {!selected ? (
            <p className="inbox__empty">Choose a conversation.</p>
          ) : (
            <>
              <ContactCard admin={admin} canLink={canLink} conversation={selected} onChanged={(id) => { if (id) setSelectedID(id); void loadList() }} />
              <div className="inbox__actions">
                {canReply && (mine ? (
                  <Button buttonStyle="secondary" margin={false} onClick={() => change({ assignee: null }, 'Unassigned.')} size="small">Unassign me</Button>
                ) : (
                  <Button buttonStyle="secondary" margin={false} onClick={() => change({ assignee: user?.id }, 'Assigned to you.')} size="small">Assign to me</Button>
                ))}
                {canReply && (selected.status === 'open' ? (
                  <Button buttonStyle="secondary" margin={false} onClick={() => setStatus('closed')} size="small">Close</Button>
                ) : (
                  <Button buttonStyle="secondary" margin={false} onClick={() => setStatus('open')} size="small">Reopen</Button>
                ))}
              </div>
              <ol className="inbox__messages" data-testid="inbox-messages">
                {messages.map((m) => (
                  <li className={`inbox__message inbox__message--${m.direction}`} data-testid={`message-${m.id}`} key={m.id}>
                    <div className="inbox__message-meta">
                      <span>{m.direction === 'inbound' ? m.from : `You, to ${m.to ?? ''}`}</span>
                      <span className="inbox__pill">{CHANNEL_LABEL[m.channel]}</span>
                      {m.direction === 'outbound' && <span className={`inbox__pill${m.status === 'failed' || m.status === 'unknown' ? ' inbox__pill--error' : ''}`} data-testid="message-status">{statusLabel('message', m.status)}</span>}
                      <span className="inbox__muted"><DateTime value={m.createdAt} /></span>
                    </div>
                    {m.subject && <div className="inbox__subject">{m.subject}</div>}
                    <MessageBody message={m} />
                    {Boolean(m.attachments?.length) && (
                      <p className="inbox__attachments">
                        {m.attachments!.map((a, i) => (
                          <a href={`${admin}/collections/media/${idOf(a)}`} key={idOf(a) ?? i} rel="noreferrer" target="_blank">
                            {typeof a === 'object' && a.filename ? a.filename : `Attachment ${i + 1}`}
                          </a>
                        ))}
                      </p>
                    )}
                    {m.attachmentNote && <p className="inbox__muted">{m.attachmentNote}</p>}
                    {m.error && <p className="inbox__error">{m.error}</p>}
                  </li>
                ))}
              </ol>
              {canReply ? (
                <ReplyBox
                  canSuggest={canSuggest && messages.some((m) => m.direction === 'inbound')}
                  channels={channels}
                  conversation={selected.id}
                  key={selected.id}
                  onSent={() => {
                    void loadThread(selected.id)
                    void loadList()
                  }}
                  preferred={[...messages].reverse().find((m) => m.direction === 'inbound')?.channel ?? null}
                />
              ) : (
                <p className="inbox__muted" data-testid="no-reply-box">Your role can read conversations but not reply to them.</p>
              )}
            </>
          )}
        </section>
      </div>
    </div>
  )
}

/**
 * A message's text; an email that came with HTML can be shown formatted instead: its sanitised HTML
 * (no scripts, styles, forms or remote images) in a sandboxed frame that may run nothing.
 */
const MessageBody = ({ message }: { message: Message }) => {
  const [formatted, setFormatted] = useState(false)
  return (
    <>
      {formatted && message.bodyHtml ? (
        <iframe className="inbox__html" sandbox="" srcDoc={message.bodyHtml} title={`Message ${message.id}, formatted`} />
      ) : (
        <p className="inbox__text">{message.bodyText}</p>
      )}
      {message.bodyHtml && (
        <button className="inbox__link" onClick={() => setFormatted(!formatted)} type="button">
          {formatted ? 'Show text' : 'Show formatted'}
        </button>
      )}
    </>
  )
}

const ContactCard = ({ conversation, canLink, admin, onChanged }: { conversation: Conversation; canLink: boolean; admin: string; onChanged: (id?: number) => void }) => {
  const contact = contactOf(conversation.contact)
  const [query, setQuery] = useState('')
  const [found, setFound] = useState<Contact[]>([])
  const [creating, setCreating] = useState(false)
  const isEmail = (conversation.address ?? '').includes('@')
  const [draft, setDraft] = useState({ firstName: '', lastName: '', email: isEmail ? (conversation.address ?? '') : '' })

  useEffect(() => {
    if (contact || query.trim().length < 2) return setFound([])
    const q = encodeURIComponent(query.trim())
    const timer = setTimeout(async () => {
      const res = await api<{ docs: Contact[] }>(`/contacts?where[and][0][org][equals]=${idOf(conversation.org)}&where[and][1][or][0][email][like]=${q}&where[and][1][or][1][firstName][like]=${q}&where[and][1][or][2][lastName][like]=${q}&where[and][1][or][3][phone][like]=${q}&limit=8&depth=0`)
      if (res.ok) setFound(res.body.docs)
    }, 250)
    return () => clearTimeout(timer)
  }, [query, contact, conversation.org])

  if (contact) {
    return (
      <div className="inbox__card" data-testid="contact-card">
        <a href={`${admin}/collections/contacts/${contact.id}`}>
          <strong>{nameOf(contact)}</strong>
        </a>
        <span className="inbox__muted">{[contact.email, contact.phone].filter(Boolean).join(' · ')}</span>
      </div>
    )
  }
  const link = async (id: number) => {
    const res = await api<{ conversation: number }>(`/conversations/${conversation.id}/link`, { method: 'POST', body: JSON.stringify({ contact: id }) })
    if (!res.ok) return toast.error(errorOf(res.body, 'The conversation could not be linked.'))
    toast.success('Linked to the contact.')
    onChanged(res.body.conversation)
  }
  const create = async () => {
    const res = await api<{ conversation: number }>(`/conversations/${conversation.id}/create-contact`, { method: 'POST', body: JSON.stringify(draft) })
    if (!res.ok) return toast.error(errorOf(res.body, 'The contact could not be created.'))
    toast.success('Contact created and linked.')
    setCreating(false)
    onChanged(res.body.conversation)
  }
  return (
    <div className="inbox__card inbox__card--unlinked" data-testid="contact-card">
      <strong>Unknown sender</strong> <span className="inbox__muted">{conversation.address}</span>
      {!canLink ? (
        <p className="inbox__muted">Your role cannot link conversations to contacts.</p>
      ) : creating ? (
        <div className="inbox__form">
          <input aria-label="First name" onChange={(e) => setDraft({ ...draft, firstName: e.target.value })} placeholder="First name" value={draft.firstName} />
          <input aria-label="Last name" onChange={(e) => setDraft({ ...draft, lastName: e.target.value })} placeholder="Last name" value={draft.lastName} />
          <input aria-label="Email" onChange={(e) => setDraft({ ...draft, email: e.target.value })} placeholder="Email (required)" value={draft.email} />
          {!isEmail && <span className="inbox__muted">Phone: {conversation.address}</span>}
          <Button margin={false} onClick={create} size="small">Create contact</Button>
          <Button buttonStyle="secondary" margin={false} onClick={() => setCreating(false)} size="small">Cancel</Button>
        </div>
      ) : (
        <div className="inbox__form">
          <input aria-label="Find a contact to link" onChange={(e) => setQuery(e.target.value)} placeholder="Link to a contact: name, email or phone" value={query} />
          <Button buttonStyle="secondary" margin={false} onClick={() => setCreating(true)} size="small">Create contact from this</Button>
          {found.length > 0 && (
            <ul className="inbox__found">
              {found.map((c) => (
                <li key={c.id}>
                  <button onClick={() => link(c.id)} type="button">
                    {nameOf(c)} <span className="inbox__muted">{[c.email, c.phone].filter(Boolean).join(' · ')}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  )
}

/** The reply box; it starts on the channel the person last wrote on, when they can be reached there. */
const ReplyBox = ({ conversation, channels, onSent, preferred, canSuggest }: { conversation: number; channels: ReplyChannel[]; onSent: () => void; preferred: 'email' | 'sms' | null; canSuggest: boolean }) => {
  const available = channels.filter((c) => c.available)
  const [picked, setChannel] = useState<'email' | 'sms' | null>(null)
  const channel = picked ?? preferred
  const [text, setText] = useState('')
  const [busy, setBusy] = useState(false)
  const textarea = useRef<HTMLTextAreaElement>(null)
  // A suggestion fills an empty box, or goes after what is already written; the person edits and sends it.
  const addDraft = (draft: string) => {
    setText((current) => (current.trim() ? `${current.trimEnd()}\n\n${draft}` : draft))
    requestAnimationFrame(() => textarea.current?.focus())
  }
  const chosen = channel && available.some((c) => c.channel === channel) ? channel : (available[0]?.channel ?? null)
  const send = async () => {
    if (!chosen || !text.trim()) return
    setBusy(true)
    try {
      const res = await api<{ status: string; error: null | string }>(`/conversations/${conversation}/reply`, { method: 'POST', body: JSON.stringify({ channel: chosen, text }) })
      if (res.status === 201) {
        toast.success(`Reply sent by ${CHANNEL_LABEL[chosen]}.`)
        setText('')
      } else if (res.status === 202) {
        toast.warning(`Reply kept: ${res.body.error ?? 'the provider is not answering'} It goes out on its own.`)
        setText('')
      } else toast.error(res.body.error ?? errorOf(res.body, 'The reply could not be sent.'))
      onSent()
    } finally {
      setBusy(false)
    }
  }
  return (
    <form className="inbox__reply" data-testid="reply-box" onSubmit={(e) => { e.preventDefault(); void send() }}>
      <fieldset className="inbox__channels">
        <legend>Reply by</legend>
        {channels.map((c) => (
          <label className={c.available ? '' : 'inbox__muted'} key={c.channel}>
            <input checked={chosen === c.channel} disabled={!c.available} name="reply-channel" onChange={() => setChannel(c.channel)} type="radio" value={c.channel} />
            {CHANNEL_LABEL[c.channel]}
            {c.available ? <span className="inbox__muted"> to {c.address}</span> : <span className="inbox__muted"> — {(c.reason ?? '').replace(/^(Email|SMS): /, '')}</span>}
          </label>
        ))}
      </fieldset>
      <textarea aria-label="Reply" disabled={!chosen} ref={textarea} onChange={(e) => setText(e.target.value)} placeholder={chosen ? 'Write your reply…' : 'This contact cannot be reached on any channel.'} rows={Math.min(12, Math.max(4, text.split('\n').length))} value={text} />
      <div className="inbox__reply-actions">
        <div className="inbox__assistant-slot" data-testid="assistant-slot">
          {canSuggest && <SuggestReplyButton conversation={conversation} disabled={!chosen || busy} onDraft={addDraft} />}
        </div>
        <Button disabled={!chosen || !text.trim() || busy} margin={false} type="submit">
          {busy ? 'Sending…' : 'Send reply'}
        </Button>
      </div>
    </form>
  )
}
