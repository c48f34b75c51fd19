'use client'
import { FieldDescription, FieldLabel, useField } from '@payloadcms/ui'
import type { JSONFieldClientComponent } from 'payload'
import React, { useMemo } from 'react'

import './json-view.scss'

type Token = { kind: 'key' | 'string' | 'number' | 'literal' | 'punctuation'; text: string }

const TOKEN = /("(?:\\.|[^"\\])*"(?=\s*:))|("(?:\\.|[^"\\])*")|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(\btrue\b|\bfalse\b|\bnull\b)|([{}[\],:])|(\s+)/g

/** The formatted JSON as tokens, for colouring without any HTML from the value itself. */
const tokenize = (text: string): Token[] => {
  const tokens: Token[] = []
  for (const match of text.matchAll(TOKEN)) {
    const [whole, key, string, number, literal] = match
    if (key) tokens.push({ kind: 'key', text: whole })
    else if (string) tokens.push({ kind: 'string', text: whole })
    else if (number) tokens.push({ kind: 'number', text: whole })
    else if (literal) tokens.push({ kind: 'literal', text: whole })
    else tokens.push({ kind: 'punctuation', text: whole })
  }
  return tokens
}

/**
 * A read-only, formatted view of a JSON field, bundled with the admin. Payload's own JSON field loads
 * the Monaco editor from a public CDN at run time, which a self-hosted admin must not do (and which the
 * Content-Security-Policy refuses). Used for fields the system writes and people only read.
 */
export const JsonView: JSONFieldClientComponent = ({ field, path }) => {
  const { value } = useField<unknown>({ path })
  const text = useMemo(() => (value === undefined || value === null ? '' : JSON.stringify(value, null, 2)), [value])
  const tokens = useMemo(() => (text.length > 200_000 ? null : tokenize(text)), [text])
  const label = field.label ?? field.name
  return (
    <div className="field-type json-view" id={`field-${path.replace(/\./g, '__')}`}>
      <FieldLabel label={label} path={path} />
      {text ? (
        <pre className="json-view__code" tabIndex={0} aria-label={typeof label === 'string' ? label : field.name}>
          {tokens ? tokens.map((token, index) => (token.kind === 'punctuation' ? token.text : <span key={index} className={`json-view__${token.kind}`}>{token.text}</span>)) : text}
        </pre>
      ) : (
        <p className="json-view__empty">Nothing recorded.</p>
      )}
      <FieldDescription description={field.admin?.description} path={path} />
    </div>
  )
}
