'use client'
import { useCallback, useEffect, useState } from 'react'

import type { Import } from '@/payload-types'
import { ACTIVE_IMPORT_STATUSES } from '@/services/imports/import-definitions'

/**
 * The import as the API has it, read again every second while it is active (queued, running,
 * stopping), so progress shows live and a reload picks up where it is.
 */
export const useImportDoc = (id: number | string | undefined) => {
  const [doc, setDoc] = useState<Import | null>(null)
  const [error, setError] = useState<string | null>(null)
  const refresh = useCallback(async () => {
    if (!id) return
    const res = await fetch(`/api/imports/${id}?depth=0`, { credentials: 'same-origin', cache: 'no-store' })
    const body = await res.json().catch(() => null)
    if (!res.ok) return setError(body?.errors?.[0]?.message ?? `The import could not be read (${res.status}).`)
    setError(null)
    setDoc(body as Import)
  }, [id])
  useEffect(() => {
    void refresh()
  }, [refresh])
  const active = doc ? ACTIVE_IMPORT_STATUSES.includes(doc.status) : false
  useEffect(() => {
    if (!active) return
    const timer = setInterval(() => void refresh(), 1000)
    return () => clearInterval(timer)
  }, [active, refresh])
  return { doc, error, refresh, setDoc }
}
