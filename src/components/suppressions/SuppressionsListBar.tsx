'use client'
import { useTenantSelection } from '@payloadcms/plugin-multi-tenant/client'
import { Button, useAuth, useListQuery } from '@payloadcms/ui'
import { useRouter } from 'next/navigation'
import type { Where } from 'payload'
import React, { useEffect, useMemo, useState } from 'react'

import { isSuperAdmin, orgIDsAllowing } from '@/access/orgAccess'
import { SUPPRESSION_REASON_LABEL } from '@/components/job-detail/labels'
import { statusOptions } from '@/services/vocabulary/statuses'

import { AddSuppressionList, GLOBAL_LIST, type ListOption } from './AddSuppressionList'
import { applyQuickFilter, type QuickFilterKey, readQuickFilters, whereToSearch } from './quick-filters'

import './suppressions.scss'

type Chip = { label: string; value: string | undefined }
type Group = { chips: Chip[]; key: QuickFilterKey; label: string }

const GROUPS: Group[] = [
  {
    key: 'status',
    label: 'Status',
    chips: [
      { label: 'All', value: undefined },
      ...statusOptions('suppression'),
    ],
  },
  {
    key: 'scope',
    label: 'List',
    chips: [
      { label: 'All', value: undefined },
      { label: 'Organisation', value: 'org' },
      { label: 'Global opt-out list', value: 'global' },
    ],
  },
  {
    key: 'channel',
    label: 'Channel',
    chips: [
      { label: 'Any', value: undefined },
      { label: 'Email', value: 'email' },
      { label: 'SMS', value: 'sms' },
    ],
  },
  {
    key: 'reason',
    label: 'Reason',
    chips: [
      { label: 'Any', value: undefined },
      ...Object.entries(SUPPRESSION_REASON_LABEL).map(([value, label]) => ({ value, label })),
    ],
  },
]

const REVIEW_QUEUE: Where = { or: [{ and: [{ status: { equals: 'pending_review' } }] }] }

/** Plain clicks filter in place (Payload's list query); modified clicks open the link as usual. */
const isPlainClick = (event: React.MouseEvent) => event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey

/**
 * Above the suppressions table: the review queue (how many candidates wait, one click to list them),
 * quick filters that edit the same `where` as Payload's filter builder, and "Add a list" for the users
 * who manage a list (org admins; the super admin also for the global opt-out list).
 */
export const SuppressionsListBar = () => {
  const router = useRouter()
  const { user } = useAuth()
  const { data, query, refineListData } = useListQuery()
  const { options: tenantOptions, selectedTenantID } = useTenantSelection()
  const [pending, setPending] = useState<null | number>(null)
  const [adding, setAdding] = useState(false)
  const where = query?.where
  const active = useMemo(() => readQuickFilters(where), [where])

  // The candidates this user may decide: every one for the super admin, else those of the orgs where
  // the user reviews (a global candidate is visible to members but only the super admin decides it).
  const reviewable = useMemo(() => {
    if (isSuperAdmin(user)) return ''
    const ids = orgIDsAllowing(user, 'suppressions.review')
    return ids.length ? ids.map((id, i) => `&where[org][in][${i}]=${encodeURIComponent(String(id))}`).join('') : null
  }, [user])

  // Recounted whenever the table's data changes (filters, a refresh after adding or reviewing).
  useEffect(() => {
    let cancelled = false
    if (reviewable === null) {
      setPending(null)
      return
    }
    fetch(`/api/suppressions?where[status][equals]=pending_review${reviewable}&limit=1&depth=0&select[id]=true`, { credentials: 'include' })
      .then((res) => (res.ok ? res.json() : null))
      .then((body) => !cancelled && setPending(typeof body?.totalDocs === 'number' ? body.totalDocs : null))
      .catch(() => !cancelled && setPending(null))
    return () => {
      cancelled = true
    }
  }, [data, reviewable])

  const lists = useMemo((): ListOption[] => {
    const superAdmin = isSuperAdmin(user)
    const named = new Map(tenantOptions.map((option) => [String(option.value), String(option.label)]))
    const ids = superAdmin ? [...named.keys()] : orgIDsAllowing(user, 'suppressions.manage').map(String)
    const orgs = ids.map((id) => ({ value: id, label: named.get(id) ?? `Organisation ${id}` }))
    return superAdmin ? [...orgs, { value: GLOBAL_LIST, label: 'Global opt-out list' }] : orgs
  }, [tenantOptions, user])
  const selected = selectedTenantID === undefined ? undefined : String(selectedTenantID)
  const defaultList = lists.find((list) => list.value === selected)?.value ?? lists[0]?.value ?? ''

  const filterLink = (target: Where, label: React.ReactNode, props: { className: string; current?: boolean; testID?: string }) => (
    <a
      key={props.testID}
      aria-current={props.current ? 'true' : undefined}
      className={props.className}
      data-testid={props.testID}
      href={whereToSearch(target)}
      onClick={(event) => {
        if (!isPlainClick(event)) return
        event.preventDefault()
        void refineListData({ where: target, page: 1 })
      }}
    >
      {label}
    </a>
  )

  return (
    <div className="suppressions-bar">
      <div className={`suppressions-queue${pending ? ' suppressions-queue--pending' : ''}`} data-testid="review-queue">
        <span aria-hidden className="suppressions-queue__dot" />
        <span className="suppressions-queue__text">
          <strong>Review queue</strong>{' '}
          <span data-testid="review-queue-count">
            {reviewable === null ? 'Approvers and org admins decide the candidates.' : pending === null ? '—' : pending === 0 ? 'No candidates waiting for review.' : `${pending} ${pending === 1 ? 'candidate waits' : 'candidates wait'} for review.`}
          </span>
        </span>
        {Boolean(pending) && filterLink(REVIEW_QUEUE, 'Show them', { className: 'suppressions-queue__link', testID: 'review-queue-link' })}
        {lists.length > 0 && (
          <Button
            buttonStyle={adding ? 'secondary' : 'primary'}
            className="suppressions-queue__add"
            extraButtonProps={{ 'aria-expanded': adding }}
            icon={adding ? undefined : ['plus']}
            iconPosition="left"
            margin={false}
            onClick={() => setAdding(!adding)}
            size="small"
          >
            {adding ? 'Hide the form' : 'Add a list'}
          </Button>
        )}
      </div>
      {adding && lists.length > 0 && <AddSuppressionList defaultList={defaultList} lists={lists} onAdded={() => router.refresh()} onClose={() => setAdding(false)} />}
      <nav aria-label="Quick filters" className="suppressions-filters">
        {GROUPS.map((group) => (
          <div className="suppressions-filters__group" key={group.key} role="group" aria-label={group.label}>
            <span className="suppressions-filters__label">{group.label}</span>
            {group.chips.map((chip) =>
              filterLink(applyQuickFilter(where, group.key, chip.value), chip.label, {
                className: 'suppressions-chip',
                current: active[group.key] === chip.value,
                testID: `filter-${group.key}-${chip.value ?? 'all'}`,
              }),
            )}
          </div>
        ))}
      </nav>
    </div>
  )
}
