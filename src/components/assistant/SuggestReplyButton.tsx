'use client'
import { Button, toast } from '@payloadcms/ui'
import React, { useState } from 'react'

import './assistant.css'
import { type AssistantAnswer, errorMessageOf } from './types'

/**
 * "Suggest a reply" in the inbox's reply box: asks the assistant for a draft answer to the conversation's
 * latest inbound message and hands it to the box (without its citation marks). Nothing is sent.
 */
export const SuggestReplyButton = ({ conversation, disabled, onDraft }: { conversation: number; disabled?: boolean; onDraft: (draft: string) => void }) => {
  const [busy, setBusy] = useState(false)
  const suggest = async () => {
    setBusy(true)
    try {
      const res = await fetch('/api/assistant/suggest-reply', { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ conversation }) })
      const body = (await res.json().catch(() => null)) as (AssistantAnswer & { draft?: string }) | null
      if (!res.ok && !body?.outcome) return void toast.error(errorMessageOf(body, 'The assistant could not suggest a reply.'))
      if (body?.outcome === 'error') return void toast.error(`The assistant could not suggest a reply: ${body.reason ?? 'the provider failed.'}`)
      const draft = body?.draft?.trim() ?? ''
      if (!draft) return void toast.info(body?.reason || (body?.outcome === 'unknown' ? 'The knowledge base has nothing on this message, so there is no suggestion.' : body?.answer) || 'No suggestion this time.')
      onDraft(draft)
    } catch {
      toast.error('The assistant could not be reached.')
    } finally {
      setBusy(false)
    }
  }
  return (
    <span className="assistant-suggest" data-testid="suggest-reply">
      <Button buttonStyle="secondary" disabled={busy || disabled} margin={false} onClick={suggest} size="medium">
        {busy ? 'Drafting…' : 'Suggest a reply'}
      </Button>
      {busy && <span aria-hidden="true" className="assistant-suggest__spinner" />}
    </span>
  )
}
