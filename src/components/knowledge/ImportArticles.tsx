'use client'
import { useTenantSelection } from '@payloadcms/plugin-multi-tenant/client'
import { useAuth, useConfig } from '@payloadcms/ui'
import { useRouter } from 'next/navigation'
import React, { useMemo, useRef, useState } from 'react'

import { isSuperAdmin, orgIDsAllowing } from '@/access/orgAccess'

import './import-articles.css'

type Result = { fileName: string; ok: true; id: number; title: string; status: string } | { fileName: string; ok: false; error: string }

const ACCEPT = '.md,.markdown,.txt,.html,.htm,.pdf'

/**
 * Above the knowledge-base list: turn .md, .txt, .html and .pdf files into articles (drafts unless
 * "Publish at once" is ticked), with one line per file saying what became of it. Shown only to people
 * who may write articles (kb.edit) in the organisation chosen in the nav.
 */
export const ImportArticles = () => {
  const { user } = useAuth()
  const { config } = useConfig()
  const router = useRouter()
  const apiBase = `${config.serverURL ?? ''}${config.routes.api}`
  const { options, selectedTenantID } = useTenantSelection()
  const orgs = useMemo(() => {
    const named = new Map(options.map((o) => [String(o.value), String(o.label)]))
    const ids = isSuperAdmin(user) ? [...named.keys()] : orgIDsAllowing(user, 'kb.edit').map(String)
    return ids.map((id) => ({ id: Number(id), name: named.get(id) ?? `Organisation ${id}` }))
  }, [options, user])
  const chosen = orgs.find((o) => String(o.id) === String(selectedTenantID)) ?? orgs[0]
  const input = useRef<HTMLInputElement>(null)
  const [publish, setPublish] = useState(false)
  const [busy, setBusy] = useState(false)
  const [results, setResults] = useState<Result[]>([])
  const [error, setError] = useState<null | string>(null)
  if (!chosen) return null

  const upload = async (files: FileList | null) => {
    if (!files || files.length === 0) return
    setBusy(true)
    setError(null)
    setResults([])
    const form = new FormData()
    form.append('org', String(chosen.id))
    form.append('publish', String(publish))
    for (const file of Array.from(files)) form.append('file', file, file.name)
    try {
      const res = await fetch(`${apiBase}/kb-articles/import`, { method: 'POST', body: form, credentials: 'include' })
      const body = (await res.json().catch(() => null)) as { results?: Result[]; errors?: { message: string }[] } | null
      if (body?.results) setResults(body.results)
      else setError(body?.errors?.[0]?.message ?? `The import failed (${res.status}).`)
      if (body?.results?.some((r) => r.ok)) router.refresh()
    } catch {
      setError('The server could not be reached. Try again.')
    } finally {
      setBusy(false)
      if (input.current) input.current.value = ''
    }
  }

  return (
    <div className="kb-import" data-testid="kb-import">
      <div className="kb-import__row">
        <label className="btn btn--style-secondary btn--size-small kb-import__pick">
          {busy ? 'Importing…' : 'Import files'}
          <input ref={input} type="file" multiple accept={ACCEPT} disabled={busy} onChange={(e) => void upload(e.target.files)} data-testid="kb-import-input" />
        </label>
        <label className="kb-import__publish">
          <input type="checkbox" checked={publish} onChange={(e) => setPublish(e.target.checked)} /> Publish at once
        </label>
        <span className="kb-import__hint">
          .md, .txt, .html or .pdf, up to 20 files of 10 MB{orgs.length > 1 ? `, into ${chosen.name}` : ''}. Each becomes an article{publish ? ' the assistant uses at once' : ' in draft'}.
        </span>
      </div>
      {error && (
        <p className="kb-import__error" role="alert">
          {error}
        </p>
      )}
      {results.length > 0 && (
        <ul className="kb-import__results" aria-live="polite">
          {results.map((r, i) => (
            <li key={`${r.fileName}-${i}`} className={r.ok ? 'kb-import__ok' : 'kb-import__failed'}>
              {r.ok ? (
                <>
                  {r.fileName}: <a href={`${config.routes.admin}/collections/kb-articles/${r.id}`}>{r.title}</a> ({r.status === 'published' ? 'published' : 'draft'})
                </>
              ) : (
                <>
                  {r.fileName}: {r.error}
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
