'use client'

import { useNav, usePreferences, useWindowInfo } from '@payloadcms/ui'
import { type ReactNode, useEffect } from 'react'

/**
 * Keeps the nav open on desktop widths up to 1440 px. Payload treats "max-width: 1440px" as its large
 * breakpoint and closes the nav there on every load (it lays the page out with the nav beside it, as on
 * wider screens), so a 1440 px laptop saw a collapsed nav. Between 1025 and 1440 px the nav opens once
 * hydrated, unless the person closed it (their saved `nav` preference says so); tablets and phones keep
 * Payload's behaviour (a drawer).
 */
export const DesktopNavOpen = ({ children }: { children?: ReactNode }) => {
  const { hydrated, setNavOpen } = useNav()
  const { getPreference } = usePreferences()
  const {
    breakpoints: { l: large, m: medium },
  } = useWindowInfo()
  useEffect(() => {
    if (!hydrated || large !== true || medium !== false) return
    let current = true
    void getPreference<{ open?: boolean }>('nav').then((preference) => {
      if (current && preference?.open !== false) setNavOpen(true)
    })
    return () => {
      current = false
    }
  }, [hydrated, large, medium, getPreference, setNavOpen])
  return <>{children}</>
}
