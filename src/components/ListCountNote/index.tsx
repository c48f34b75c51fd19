'use client'
import { useListQuery } from '@payloadcms/ui'
import React from 'react'

import { COUNT_CAP_FOR_DISPLAY } from './count-cap'

const number = new Intl.NumberFormat('en')

/**
 * Above a list: where the total is PostgreSQL's estimate (more than 10,000 matches, see
 * src/db/list-queries.ts), says so, since the page numbers below are then approximate too.
 */
export const ListCountNote = () => {
  const { data } = useListQuery()
  const total = data?.totalDocs ?? 0
  if (total <= COUNT_CAP_FOR_DISPLAY) return null
  return (
    <p className="list-count-note" role="status" style={{ color: 'var(--theme-elevation-600)', fontSize: 13, margin: '0 0 calc(var(--base) / 2)' }}>
      About {number.format(total)} match. Above {number.format(COUNT_CAP_FOR_DISPLAY)}, totals and page numbers are estimates, so a long list
      stays quick.
    </p>
  )
}
