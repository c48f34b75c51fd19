'use client'
import { useTenantSelection } from '@payloadcms/plugin-multi-tenant/client'
import { Button, useAuth, useConfig, useStepNav } from '@payloadcms/ui'
import React, { useCallback, useEffect, useMemo, useRef, useState } from 'react'

import { hasOrgPermission, isSuperAdmin, orgIDsAllowing } from '@/access/orgAccess'

import { AnswerText, articleHref } from './AnswerText'
import { plainExcerpt } from './answer-text'
import { AskRefused, askStreaming, type StreamEvent } from './ask-stream'
import './assistant.css'
import { type AssistantAnswer, type AssistantSource, type AssistantUsage, errorMessageOf, MAX_QUESTION_CHARS, providerLabel } from './types'

/** One question and what came back: streamed text first, the server's final answer when done. */
type Turn = { id: number; org: number; question: string; text: string; sources: AssistantSource[]; final: AssistantAnswer | null; error: null | string; streaming: boolean }

const COUNT = new Intl.NumberFormat('en-GB')
const formatCost = (usd: number) => (usd > 0 && usd < 0.01 ? 'under $0.01' : `≈ $${usd.toFixed(2)}`)

const applyEvent = (turn: Turn, event: StreamEvent): Turn => {
  if (event.type === 'sources') return { ...turn, sources: event.sources }
  if (event.type === 'text') return { ...turn, text: turn.text + event.delta }
  const { type: _type, ...final } = event
  // On an error or a cancel the answer is the partial text; keep what was streamed when it says less.
  const text = final.outcome === 'error' || final.outcome === 'cancelled' ? final.answer || turn.text : (final.answer ?? turn.text)
  return { ...turn, final, text, sources: final.sources?.length ? final.sources : turn.sources, streaming: false }
}

/**
 * `/admin/assistant`: ask the organisation's knowledge base. The answer streams in, then shows with its
 * citations linked to the articles, the sources it came from, and this month's usage. The org is the
 * one chosen in the nav's organisation selector (its cookie), when the user may ask there.
 */
export const Assistant = () => {
  const { user } = useAuth()
  const { config } = useConfig()
  const adminRoute = config.routes.admin
  const apiBase = `${config.serverURL ?? ''}${config.routes.api}`
  const { options, selectedTenantID, setTenant } = useTenantSelection()
  const { setStepNav } = useStepNav()
  useEffect(() => setStepNav([{ label: 'Assistant' }]), [setStepNav])

  const orgs = useMemo(() => {
    const named = new Map(options.map((o) => [String(o.value), String(o.label)]))
    const ids = isSuperAdmin(user) ? [...named.keys()] : orgIDsAllowing(user, 'assistant.use').map(String)
    return ids.map((id) => ({ id: Number(id), name: named.get(id) ?? `Organisation ${id}` }))
  }, [options, user])
  const org = orgs.find((o) => String(o.id) === String(selectedTenantID))?.id ?? orgs[0]?.id

  const [usage, setUsage] = useState<AssistantUsage | null>(null)
  const [usageError, setUsageError] = useState<null | string>(null)
  const [refreshes, setRefreshes] = useState(0)
  useEffect(() => {
    if (org === undefined) return
    let live = true
    fetch(`${apiBase}/assistant/usage?org=${org}`, { credentials: 'include' })
      .then(async (res) => {
        const body: unknown = await res.json().catch(() => null)
        if (!live) return
        if (res.ok) {
          setUsage(body as AssistantUsage)
          setUsageError(null)
        } else setUsageError(errorMessageOf(body, 'The assistant’s usage could not be loaded.'))
      })
      .catch(() => live && setUsageError('The assistant’s usage could not be loaded.'))
    return () => {
      live = false
    }
  }, [apiBase, org, refreshes])

  const [question, setQuestion] = useState('')
  const [turn, setTurn] = useState<null | Turn>(null)
  const [history, setHistory] = useState<Turn[]>([])
  const abortRef = useRef<AbortController | null>(null)
  const nextID = useRef(1)
  useEffect(() => () => abortRef.current?.abort(), [])

  const ask = useCallback(async () => {
    const text = question.trim()
    if (!text || org === undefined || abortRef.current) return
    const controller = new AbortController()
    abortRef.current = controller
    const started: Turn = { id: nextID.current++, org, question: text, text: '', sources: [], final: null, error: null, streaming: true }
    let latest = started
    const update = (next: Turn) => {
      latest = next
      setTurn(next)
    }
    update(started)
    // The question moves into the answer ("You asked"); a refusal before any answer gives it back to edit.
    setQuestion('')
    try {
      await askStreaming({ apiBase, org, question: text, signal: controller.signal, onEvent: (event) => update(applyEvent(latest, event)) })
      if (!latest.final) update({ ...latest, streaming: false, error: 'The connection closed before the answer was complete.' })
    } catch (error) {
      if (controller.signal.aborted) update({ ...latest, streaming: false, final: { outcome: 'cancelled', answer: latest.text, citations: [], sources: latest.sources, provider: '', model: '' } })
      else {
        update({ ...latest, streaming: false, error: error instanceof AskRefused ? error.message : 'The assistant could not be reached. Check your connection and try again.' })
        setQuestion((current) => current || text)
      }
    } finally {
      abortRef.current = null
      if (latest.final || latest.text) setHistory((earlier) => [latest, ...earlier].slice(0, 10))
      setRefreshes((n) => n + 1)
    }
  }, [apiBase, org, question])
  const stop = () => abortRef.current?.abort()

  if (orgs.length === 0) {
    return (
      <div className="assistant" data-testid="assistant">
        <Header />
        <p className="assistant__note" data-testid="assistant-forbidden">
          Your role does not include asking the assistant in any organisation. Org admins, approvers and senders can.
        </p>
      </div>
    )
  }

  const streaming = Boolean(turn?.streaming)
  const earlier = history.filter((past) => past.id !== turn?.id && past.org === org)
  const notice = usage?.notice || turn?.final?.notice
  const noArticles = usage !== null && usage.org === org && usage.publishedArticles === 0
  const canWrite = org !== undefined && hasOrgPermission(user, org, 'kb.edit')
  const canReadLog = org !== undefined && hasOrgPermission(user, org, 'assistant.logs')

  return (
    <div className="assistant" data-testid="assistant">
      <Header />
      <div className="assistant__bar">
        {orgs.length > 1 && (
          <label className="assistant__field">
            Organisation
            <select
              disabled={streaming}
              onChange={(e) => {
                setTenant({ id: Number(e.target.value), refresh: false })
                setTurn(null)
              }}
              value={org}
            >
              {orgs.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <p className="assistant__usage" data-testid="assistant-usage">
          {usage ? (
            <>
              <span>
                Answers by: <strong data-testid="assistant-provider">{providerLabel(usage.provider, usage.model)}</strong>
              </span>
              <span>
                {/* `requests` counts the model's answers; quoted answers cost nothing and are not counted. */}
                This month: {COUNT.format(usage.requests)} model {usage.requests === 1 ? 'request' : 'requests'}, {COUNT.format(usage.tokens)} tokens of {COUNT.format(usage.monthlyTokenLimit)}, {formatCost(usage.costUSD)}
              </span>
              {canReadLog && <a href={`${adminRoute}/collections/assistant-logs`}>Question log</a>}
            </>
          ) : (
            <span className="assistant__muted">{usageError ?? 'Loading…'}</span>
          )}
        </p>
      </div>
      {notice && (
        <p className="assistant__banner assistant__banner--warning" data-testid="assistant-notice" role="status">
          {notice}
        </p>
      )}

      {noArticles ? (
        <div className="assistant__empty" data-testid="assistant-empty">
          <h2>The knowledge base is empty</h2>
          <p>The assistant answers only from this organisation’s published knowledge-base articles: opening hours, prices, policies.</p>
          {canWrite ? (
            <a className="btn btn--style-primary btn--size-medium" href={`${adminRoute}/collections/kb-articles/create`}>
              Write the first article
            </a>
          ) : (
            <p className="assistant__muted">Ask an org admin or approver to publish an article.</p>
          )}
        </div>
      ) : (
        <form
          className="assistant__form"
          onSubmit={(e) => {
            e.preventDefault()
            void ask()
          }}
        >
          <label className="assistant__label" htmlFor="assistant-question">
            Your question
          </label>
          <textarea
            aria-describedby="assistant-question-hint"
            id="assistant-question"
            maxLength={MAX_QUESTION_CHARS}
            onChange={(e) => setQuestion(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
                e.preventDefault()
                void ask()
              }
            }}
            placeholder="e.g. When are you open on Saturdays?"
            rows={3}
            value={question}
          />
          <div className="assistant__form-row">
            <span className="assistant__muted" id="assistant-question-hint">
              Enter to ask, Shift+Enter for a new line · {question.length} / {MAX_QUESTION_CHARS}
            </span>
            <span className="assistant__buttons">
              {streaming && (
                <Button buttonStyle="secondary" margin={false} onClick={stop} size="medium">
                  Stop
                </Button>
              )}
              <Button disabled={streaming || !question.trim()} margin={false} size="medium" type="submit">
                {streaming ? 'Answering…' : 'Ask'}
              </Button>
            </span>
          </div>
        </form>
      )}

      <section aria-busy={streaming} aria-label="Answer" aria-live="polite" className="assistant__answer" data-testid="assistant-answer">
        {turn && <TurnView adminRoute={adminRoute} canWrite={canWrite} turn={turn} />}
      </section>

      {earlier.length > 0 && (
        <section aria-label="Earlier questions" className="assistant__history">
          <h2>Earlier in this session</h2>
          <ul>
            {earlier.map((past) => (
              <li key={past.id}>
                <button className="assistant__link-button" disabled={streaming} onClick={() => setTurn(past)} type="button">
                  {past.question}
                </button>
                {past.final && <span className="assistant__muted"> · {OUTCOME_LABEL[past.final.outcome]}</span>}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  )
}

const OUTCOME_LABEL = { answered: 'answered', unknown: 'not in the knowledge base', refused: 'refused', error: 'failed', cancelled: 'stopped' } as const

const Header = () => (
  <header className="assistant__header">
    <h1>Assistant</h1>
    <p className="assistant__muted">Answers from your organisation’s published knowledge-base articles, with the passages they come from.</p>
  </header>
)

const TurnView = ({ turn, adminRoute, canWrite }: { turn: Turn; adminRoute: string; canWrite: boolean }) => {
  const outcome = turn.final?.outcome
  const cited = new Set((turn.final?.citations ?? []).map((c) => c.n))
  // Once done, the sources the answer cites come first; the other passages found stay one click away.
  const shown = turn.final && cited.size > 0 ? turn.sources.filter((s) => cited.has(s.n)) : turn.sources
  const others = turn.final && cited.size > 0 ? turn.sources.filter((s) => !cited.has(s.n)) : []
  const showText = outcome !== 'unknown' && outcome !== 'refused' && turn.text.trim() !== ''
  return (
    <article className="assistant__turn" data-outcome={outcome ?? (turn.streaming ? 'streaming' : 'none')} data-testid="assistant-turn">
      <p className="assistant__question">
        <span className="assistant__muted">You asked:</span> {turn.question}
      </p>
      {turn.error && (
        <p className="assistant__banner assistant__banner--error" role="alert">
          {turn.error}
        </p>
      )}
      {outcome === 'unknown' && (
        <p className="assistant__banner" data-testid="assistant-unknown">
          The knowledge base has nothing on this.{' '}
          {canWrite ? <a href={`${adminRoute}/collections/kb-articles/create`}>Add an article</a> : 'An org admin or approver can add an article'} and ask again.
        </p>
      )}
      {outcome === 'refused' && (
        <p className="assistant__banner assistant__banner--warning" data-testid="assistant-refused">
          Not answered: {turn.final?.reason ?? turn.final?.answer}
        </p>
      )}
      {showText && (
        <div className={`assistant__reply${turn.streaming ? ' assistant__reply--streaming' : ''}`} data-testid="assistant-text">
          <AnswerText adminRoute={adminRoute} sources={turn.sources} text={turn.text} />
        </div>
      )}
      {turn.streaming && !turn.text && <p className="assistant__muted">Searching the knowledge base…</p>}
      {outcome === 'error' && (
        <p className="assistant__banner assistant__banner--error" data-testid="assistant-error" role="alert">
          The answer stopped: {turn.final?.reason ?? 'the provider failed.'}
        </p>
      )}
      {outcome === 'cancelled' && (
        <p className="assistant__note" data-testid="assistant-cancelled">
          Stopped.
        </p>
      )}
      {shown.length > 0 && (
        <div className="assistant__sources" data-testid="assistant-sources">
          <h2>Sources</h2>
          <SourceList adminRoute={adminRoute} sources={shown} />
          {others.length > 0 && (
            <details>
              <summary>Other passages found ({others.length})</summary>
              <SourceList adminRoute={adminRoute} sources={others} />
            </details>
          )}
        </div>
      )}
    </article>
  )
}

const SourceList = ({ sources, adminRoute }: { sources: AssistantSource[]; adminRoute: string }) => (
  <ol className="assistant__source-list">
    {sources.map((s) => (
      <li data-testid={`source-${s.n}`} key={s.chunkID}>
        <span className="assistant__source-n">{s.n}.</span>
        <div>
          <a href={articleHref(adminRoute, s.articleID)}>
            {s.title}
            {s.headingPath && <span className="assistant__muted"> › {s.headingPath}</span>}
          </a>
          {s.excerpt && <p className="assistant__excerpt">{plainExcerpt(s.excerpt)}</p>}
        </div>
      </li>
    ))}
  </ol>
)
