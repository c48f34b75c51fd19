'use client'
import { useDocumentInfo, useFormFields } from '@payloadcms/ui'
import type { UIFieldClientComponent } from 'payload'
import React, { useEffect, useState } from 'react'

import { postJSON } from '../recipient-picker/post-json'
import { stepsOf } from '../recipient-picker/selection-steps'

import './audience-summary.scss'

export type AudienceCount = { total: number; suppressed: number; selection: number }

const numberFormat = new Intl.NumberFormat('en')
const idOf = (value: unknown) => {
  const raw = value && typeof value === 'object' && 'id' in value ? (value as { id: unknown }).id : value
  return raw === null || raw === undefined || raw === '' ? undefined : Number(raw)
}
const ids = (value: unknown) => (Array.isArray(value) ? value.map(idOf).filter((id): id is number => id !== undefined && Number.isFinite(id)) : [])

/** The audience the job form holds now, as the body of `POST /api/email-jobs/audience-count` (JSON). */
export const useAudienceRequest = () => {
  const org = idOf(useFormFields(([fields]) => fields.org?.value))
  const all = useFormFields(([fields]) => fields['audience.all']?.value) === true
  const tags = useFormFields(([fields]) => fields['audience.tags']?.value)
  const segments = useFormFields(([fields]) => fields['audience.segments']?.value)
  const excludeTags = useFormFields(([fields]) => fields['audience.excludeTags']?.value)
  const excludeSegments = useFormFields(([fields]) => fields['audience.excludeSegments']?.value)
  const selection = useFormFields(([fields]) => fields.selection?.value)
  const { id: job } = useDocumentInfo()
  const request = JSON.stringify({
    org,
    job: job || undefined,
    audience: { all, tags: Array.isArray(tags) ? tags : [], segments: ids(segments), excludeTags: Array.isArray(excludeTags) ? excludeTags : [], excludeSegments: ids(excludeSegments) },
    change: stepsOf(selection),
  })
  return { org, request }
}

/** Counts an audience request (see useAudienceRequest). */
export const countAudience = (request: string, signal?: AbortSignal) => postJSON<AudienceCount>('/api/email-jobs/audience-count', JSON.parse(request), signal)

/**
 * The audience being edited, counted live by the server (`POST /api/email-jobs/audience-count`): how
 * many contacts it reaches now and how many of those are suppressed (skipped when the job is queued).
 * Counted again shortly after any part of it changes; the number is "now": it is fixed at queueing.
 */
export const AudienceSummary: UIFieldClientComponent = () => {
  const { org, request } = useAudienceRequest()
  const status = (useFormFields(([fields]) => fields.status?.value) as string | undefined) ?? 'draft'
  const { savedDocumentData } = useDocumentInfo()
  const [state, setState] = useState<{ kind: 'idle' | 'counting' } | { kind: 'counted'; count: AudienceCount } | { kind: 'error'; message: string }>({ kind: 'idle' })

  useEffect(() => {
    if (!org || status !== 'draft') return
    const controller = new AbortController()
    setState({ kind: 'counting' })
    const timer = setTimeout(() => {
      countAudience(request, controller.signal)
        .then((count) => setState({ kind: 'counted', count }))
        .catch((error: unknown) => {
          if (!controller.signal.aborted) setState({ kind: 'error', message: error instanceof Error ? error.message : 'The audience could not be counted.' })
        })
    }, 400)
    return () => {
      clearTimeout(timer)
      controller.abort()
    }
  }, [request, org, status, savedDocumentData?.updatedAt])

  if (!org || status !== 'draft') return null
  return (
    <div className="audience-summary" data-testid="audience-summary" aria-live="polite">
      {state.kind === 'counted' ? (
        state.count.total === 0 ? (
          <span>Nobody yet: choose everyone, tags, segments or contacts above.</span>
        ) : (
          <span>
            Goes to <strong data-testid="audience-total">{numberFormat.format(state.count.total)}</strong> {state.count.total === 1 ? 'contact' : 'contacts'} now
            {state.count.suppressed > 0 ? `, ${numberFormat.format(state.count.suppressed)} of them suppressed (skipped)` : ''}. Fixed when the job is queued.
          </span>
        )
      ) : state.kind === 'error' ? (
        <span className="audience-summary__error">{state.message}</span>
      ) : (
        <span>Counting the audience…</span>
      )}
    </div>
  )
}
