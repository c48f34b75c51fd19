'use client'
export const ImportPanel = () => null
