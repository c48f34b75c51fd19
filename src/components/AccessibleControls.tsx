'use client'
import { type ReactNode, useEffect } from 'react'

const textOf = (element: Element | null | undefined) => element?.textContent?.replace(/\s+/g, ' ').replace(/\*$/, '').trim() || ''

/** Names and focus fixes for controls Payload draws without them (see AccessibleControls). */
const mend = (root: ParentNode) => {
  // react-select inputs: Payload's label is not tied to them; name each after its field's label.
  for (const input of root.querySelectorAll<HTMLInputElement>('input[id^="react-select-"]:not([aria-label]):not([aria-labelledby])')) {
    const field = input.closest('.field-type, .tenant-selector, [class*="selector"]')
    const label = textOf(field?.querySelector('.field-label, label')) || textOf(input.closest('[aria-label]')) || 'Choose an option'
    input.setAttribute('aria-label', label)
  }
  // Date pickers' text inputs: named after their field.
  for (const input of root.querySelectorAll<HTMLInputElement>('.date-time-picker input:not([aria-label]):not([aria-labelledby])')) {
    input.setAttribute('aria-label', textOf(input.closest('.field-type')?.querySelector('.field-label, label')) || 'Date')
  }
  // The list's row checkboxes carry an empty name.
  for (const input of root.querySelectorAll<HTMLInputElement>('.select-row input[type="checkbox"][aria-label=""], .select-all input[type="checkbox"][aria-label=""]')) {
    input.setAttribute('aria-label', input.closest('.select-all') ? 'Select all rows' : 'Select this row')
  }
  // The document's tab strip is a <ul> of links, not of list items: no list semantics.
  for (const list of root.querySelectorAll<HTMLElement>('ul.doc-tabs__tabs:not([role])')) list.setAttribute('role', 'presentation')
  // Buttons inside an aria-hidden part (react-select's indicators) must not take focus.
  for (const focusable of root.querySelectorAll<HTMLElement>('[aria-hidden="true"] button:not([tabindex="-1"]), [aria-hidden="true"] [tabindex]:not([tabindex="-1"]), button[aria-hidden="true"]:not([tabindex="-1"]), [aria-hidden="true"][tabindex]:not([tabindex="-1"])')) {
    focusable.setAttribute('tabindex', '-1')
  }
  // Icon-only buttons without a name.
  for (const button of root.querySelectorAll<HTMLElement>('button.clear-indicator:not([aria-label]), button.date-time-picker__clear-button:not([aria-label])')) {
    button.setAttribute('aria-label', 'Clear')
  }
  for (const button of root.querySelectorAll<HTMLElement>('button.popup-button:not([aria-label])')) {
    if (!textOf(button)) button.setAttribute('aria-label', button.getAttribute('title') || 'More options')
  }
}

/**
 * Gives Payload's own controls what screen readers need and axe asks for, wherever they appear: a name
 * for every select input (its field's label), for icon-only buttons (Clear, More options), and no focus
 * inside parts hidden from assistive technology. Watches the page, since Payload renders them late.
 */
export const AccessibleControls = ({ children }: { children?: ReactNode }) => {
  useEffect(() => {
    let queued = false
    const run = () => {
      queued = false
      mend(document)
    }
    run()
    const observer = new MutationObserver(() => {
      if (queued) return
      queued = true
      requestAnimationFrame(run)
    })
    observer.observe(document.body, { childList: true, subtree: true })
    return () => observer.disconnect()
  }, [])
  return <>{children}</>
}
