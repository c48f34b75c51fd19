'use client'
import { Button, toast, useAuth } from '@payloadcms/ui'
import { useRouter } from 'next/navigation'
import React, { useCallback, useEffect, useId, useState } from 'react'

import { isSuperAdmin, orgIDsAllowing } from '@/access/orgAccess'
import { ORG_ROLES, ROLE_LABELS, type OrgRole } from '@/access/roles'
import { DateTime } from '@/components/dates/DateTime'
import { useConfirm } from '@/components/useConfirm'

import './invitations.css'

type Pending = { id: number; email: string; name?: null | string; invitation?: { invitedAt?: null | string; expiresAt?: null | string } | null }
type Org = { id: number; name: string }

const errorOf = (body: unknown, fallback: string): string =>
  (body as { errors?: { message?: string }[] } | null)?.errors?.[0]?.message ?? fallback


/**
 * Above the users list, for those who may invite (`users.manage` in an organisation): invite a person by
 * email with their roles, and the pending invitations with Resend and Withdraw. The person chooses their
 * own password through the emailed one-time link (72 hours); without a mail server the link is shown here
 * to pass on.
 */
export const Invitations = () => {
  const { user } = useAuth()
  const router = useRouter()
  const managed = user ? (isSuperAdmin(user) ? null : orgIDsAllowing(user, 'users.manage').map(Number)) : []
  const canInvite = Boolean(user) && (managed === null || managed.length > 0)
  const id = useId()
  const [orgs, setOrgs] = useState<Org[]>([])
  const [pending, setPending] = useState<Pending[]>([])
  const [email, setEmail] = useState('')
  const [name, setName] = useState('')
  const [org, setOrg] = useState<number | ''>('')
  const [roles, setRoles] = useState<OrgRole[]>(['viewer'])
  const [busy, setBusy] = useState(false)
  const [link, setLink] = useState<null | { email: string; url: string }>(null)
  const { ask, dialog } = useConfirm('invitation-confirm')
  const managedKey = managed === null ? 'all' : managed.join(',')

  const load = useCallback(async () => {
    const res = await fetch('/api/users?where[invitation.status][equals]=pending&sort=-invitation.invitedAt&limit=50&depth=0&select[email]=true&select[name]=true&select[invitation]=true', { credentials: 'include' })
    if (res.ok) setPending(((await res.json()) as { docs: Pending[] }).docs)
  }, [])

  useEffect(() => {
    if (!canInvite) return
    void load()
    const scope = managedKey === 'all' ? '' : `&where[id][in]=${managedKey}`
    void fetch(`/api/organizations?limit=200&depth=0&sort=name&select[name]=true${scope}`, { credentials: 'include' })
      .then((res) => (res.ok ? res.json() : { docs: [] }))
      .then((body: { docs: Org[] }) => {
        setOrgs(body.docs)
        if (body.docs.length === 1) setOrg(body.docs[0]!.id)
      })
  }, [canInvite, managedKey, load])

  if (!canInvite) return null

  const invite = async (event: React.FormEvent) => {
    event.preventDefault()
    setBusy(true)
    try {
      const res = await fetch('/api/users/invite', { method: 'POST', credentials: 'include', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, name, org, roles }) })
      const body = await res.json().catch(() => null)
      if (!res.ok) return void toast.error(errorOf(body, 'The invitation could not be sent.'))
      if (body.status === 'added') toast.success(`${body.email} already had an account: they now have access and were told by email.`)
      else toast.success(body.link ? `Invitation created for ${body.email}.` : `Invitation sent to ${body.email}; the link works for 72 hours.`)
      setLink(body.link ? { email: body.email, url: body.link } : null)
      setEmail('')
      setName('')
      await load()
      router.refresh()
    } catch {
      toast.error('Could not reach the server; nobody was invited.')
    } finally {
      setBusy(false)
    }
  }

  const act = async (person: Pending, action: 'resend' | 'revoke') => {
    const res = await fetch(`/api/users/${person.id}/${action}-invitation`, { method: 'POST', credentials: 'include' })
    const body = await res.json().catch(() => null)
    if (!res.ok) return void toast.error(errorOf(body, 'The invitation could not be changed.'))
    if (action === 'resend') {
      toast.success(`Invitation sent again to ${person.email}; the old link no longer works.`)
      setLink(body.link ? { email: person.email, url: body.link } : null)
    } else toast.success(`Invitation to ${person.email} withdrawn.`)
    await load()
    router.refresh()
  }

  return (
    <section aria-labelledby={`${id}-title`} className="invitations" data-testid="invitations">
      {dialog}
      <h2 id={`${id}-title`}>Invite a person</h2>
      <form className="invitations__form" onSubmit={invite}>
        <label>
          Email
          <input autoComplete="off" onChange={(e) => setEmail(e.target.value)} required type="email" value={email} />
        </label>
        <label>
          Name <span className="invitations__muted">(optional)</span>
          <input onChange={(e) => setName(e.target.value)} type="text" value={name} />
        </label>
        <label>
          Organisation
          <select onChange={(e) => setOrg(e.target.value ? Number(e.target.value) : '')} required value={org}>
            {orgs.length !== 1 && <option value="">Choose…</option>}
            {orgs.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend>Roles</legend>
          {ORG_ROLES.map((role) => (
            <label className="invitations__role" key={role}>
              <input checked={roles.includes(role)} onChange={(e) => setRoles(e.target.checked ? [...roles, role] : roles.filter((r) => r !== role))} type="checkbox" value={role} />
              {ROLE_LABELS[role]}
            </label>
          ))}
        </fieldset>
        <Button buttonStyle="primary" disabled={busy || !email || !org || !roles.length} margin={false} size="medium" type="submit">
          {busy ? 'Inviting…' : 'Send invitation'}
        </Button>
      </form>
      {link && (
        <p className="invitations__link" data-testid="invitation-link">
          No mail server is configured (SMTP_HOST), so nothing was emailed: send {link.email} this one-time link yourself. <code>{link.url}</code>
        </p>
      )}
      <h3>Pending invitations</h3>
      {pending.length === 0 ? (
        <p className="invitations__muted">None.</p>
      ) : (
        <table className="invitations__table" data-testid="pending-invitations">
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Invited</th>
              <th scope="col">Link</th>
              <th scope="col">
                <span className="invitations__sr">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {pending.map((person) => {
              const expired = person.invitation?.expiresAt ? new Date(person.invitation.expiresAt).getTime() < Date.now() : false
              return (
                <tr key={person.id}>
                  <td>{person.email}</td>
                  <td>
                    <DateTime value={person.invitation?.invitedAt} />
                  </td>
                  <td>{expired ? <span className="status-pill status-pill--error">Expired</span> : <>
                        Works until <DateTime value={person.invitation?.expiresAt} />
                      </>}</td>
                  <td className="invitations__actions">
                    <Button buttonStyle="secondary" margin={false} onClick={() => void act(person, 'resend')} size="small">
                      Resend
                    </Button>
                    <Button
                      buttonStyle="subtle"
                      margin={false}
                      onClick={() => ask({ heading: 'Withdraw this invitation?', body: `The link sent to ${person.email} stops working at once and they lose access to your organisation.`, confirmLabel: 'Withdraw' }, () => act(person, 'revoke'))}
                      size="small"
                    >
                      Withdraw
                    </Button>
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
    </section>
  )
}
