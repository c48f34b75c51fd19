import React from 'react'

/** Login-screen logo: the Outpost wordmark. */
export const Logo = () => (
  <div style={{ alignItems: 'center', display: 'flex', gap: 12 }}>
    <OutpostMark size={40} />
    <span style={{ color: 'var(--theme-text)', fontSize: 32, fontWeight: 700, letterSpacing: '-0.02em' }}>Outpost</span>
  </div>
)

/** Nav icon: the Outpost mark (a flag on a hill), drawn in the theme's text colour. */
export const Icon = () => <OutpostMark size={22} />

const OutpostMark = ({ size }: { size: number }) => (
  <svg aria-label="Outpost" height={size} role="img" viewBox="0 0 32 32" width={size}>
    <path d="M3 27 L12 15 L17 21 L21 17 L29 27 Z" fill="currentColor" opacity="0.85" />
    <path d="M16 4 V18" stroke="currentColor" strokeWidth="2" />
    <path d="M16 4 L25 7.5 L16 11 Z" fill="var(--theme-success-500, #2f9e44)" />
  </svg>
)
