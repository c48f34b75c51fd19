'use client'
import { ConfirmationModal, useModal } from '@payloadcms/ui'
import React, { useCallback, useState } from 'react'

export type ConfirmQuestion = {
  /** What is about to happen, as a short title ("Queue this job?"). */
  heading: string
  /** One sentence naming what will happen and to how many. */
  body: string
  /** The confirming button says the action ("Queue 52 recipients"), never just "OK". */
  confirmLabel: string
}

/**
 * The one in-app confirm dialog for irreversible actions (queue, cancel, approve, reject, confirm a
 * suppression, rotate an address): Payload's own confirmation modal, keyboard-usable, instead of the
 * browser's `confirm()`. `ask(question, run)` opens it; Confirm runs `run` (the button shows "Working…"
 * until it settles) and closes it; Cancel closes it and runs nothing. Render `dialog` once in the component.
 */
export const useConfirm = (slug: string) => {
  const { openModal } = useModal()
  const [question, setQuestion] = useState<(ConfirmQuestion & { run: () => Promise<void> | void }) | null>(null)
  const ask = useCallback(
    (next: ConfirmQuestion, run: () => Promise<void> | void) => {
      setQuestion({ ...next, run })
      openModal(slug)
    },
    [openModal, slug],
  )
  const dialog = question ? (
    <ConfirmationModal
      body={<p data-testid="confirm-body">{question.body}</p>}
      cancelLabel="Cancel"
      confirmLabel={question.confirmLabel}
      confirmingLabel="Working…"
      heading={question.heading}
      modalSlug={slug}
      onConfirm={question.run}
    />
  ) : null
  return { ask, dialog }
}
