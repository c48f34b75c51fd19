'use client'
import { Button } from '@payloadcms/ui'
import React, { useEffect, useState } from 'react'

import type { Import } from '@/payload-types'
import {
  DELIMITER_LABELS,
  ENCODING_LABELS,
  IMPORT_ENCODINGS,
  IMPORT_FIELD_LABELS,
  IMPORT_FIELDS,
  IMPORT_MODE_LABELS,
  IMPORT_MODES,
  type ImportDelimiter,
  type ImportEncoding,
  type ImportField,
  type ImportMode,
} from '@/services/imports/import-definitions'

import { postJSON } from '../recipient-picker/post-json'
import { TagsInput, useOrgTags } from '../tags/TagsInput'

type Preview = {
  format: { encoding: string; delimiter: string; encodingDetected: boolean; delimiterDetected: boolean }
  headers: string[]
  rows: string[][]
  suggested: (ImportField | null)[]
  remembered: boolean
}

const COUNTRIES = ['GB', 'IE', 'US', 'CA', 'AU', 'NZ', 'FR', 'DE', 'ES', 'IT', 'NL', 'BE', 'CH', 'AT', 'SE', 'NO', 'DK', 'FI', 'PL', 'PT', 'IN', 'ZA', 'BR', 'MX', 'JP']
const regionName = (code: string) => {
  try {
    return new Intl.DisplayNames(['en'], { type: 'region' }).of(code) ?? code
  } catch {
    return code
  }
}

/**
 * Step 2: how to read the file (delimiter, encoding, header row; detected unless chosen), its first
 * rows with a field chosen for each column (last time's mapping for the same headers, else a guess),
 * what the import does, the default country for phone numbers and tags for every row; then start.
 */
export const MappingStep = ({ doc, org, onStarted }: { doc: Import; org: number | undefined; onStarted: (doc: Import) => void }) => {
  const [delimiter, setDelimiter] = useState<ImportDelimiter>('auto')
  const [encoding, setEncoding] = useState<ImportEncoding>('auto')
  const [hasHeader, setHasHeader] = useState(true)
  const [preview, setPreview] = useState<Preview | null>(null)
  const [previewError, setPreviewError] = useState<string | null>(null)
  const [mapping, setMapping] = useState<(ImportField | null)[]>([])
  const [mode, setMode] = useState<ImportMode>('upsert_email')
  const [country, setCountry] = useState('')
  const [tags, setTags] = useState<string[]>([])
  const [starting, setStarting] = useState(false)
  const [startError, setStartError] = useState<string | null>(null)
  const suggestions = useOrgTags(org)

  useEffect(() => {
    const controller = new AbortController()
    setPreviewError(null)
    fetch(`/api/imports/${doc.id}/preview?delimiter=${delimiter}&encoding=${encoding}&hasHeader=${hasHeader}`, { credentials: 'same-origin', signal: controller.signal })
      .then(async (res) => {
        const body = await res.json().catch(() => null)
        if (!res.ok) throw new Error(body?.errors?.[0]?.message ?? `The file could not be read (${res.status}).`)
        setPreview(body)
        setMapping(body.suggested)
      })
      .catch((error: unknown) => {
        if (!controller.signal.aborted) setPreviewError(error instanceof Error ? error.message : 'The file could not be read.')
      })
    return () => controller.abort()
  }, [doc.id, delimiter, encoding, hasHeader])

  const choose = (column: number, field: ImportField | null) =>
    setMapping((current) => current.map((value, i) => (i === column ? field : value === field && field !== null ? null : value)))
  const phoneMapped = mapping.includes('phone')

  const start = async () => {
    setStarting(true)
    setStartError(null)
    try {
      const answer = await postJSON<{ doc: Import }>(`/api/imports/${doc.id}/start`, { mode, mapping, delimiter, encoding, hasHeader, defaultCountry: country, tags })
      onStarted(answer.doc)
    } catch (error) {
      setStartError(error instanceof Error ? error.message : 'The import could not start.')
    } finally {
      setStarting(false)
    }
  }

  return (
    <section className="import-panel__card" data-testid="import-mapping">
      <h3 className="import-panel__title">2. Say which column is which</h3>
      <div className="import-panel__options">
        <label>
          Separated by
          <select data-testid="import-delimiter" onChange={(e) => setDelimiter(e.target.value as ImportDelimiter)} value={delimiter}>
            {(Object.keys(DELIMITER_LABELS) as ImportDelimiter[]).map((value) => (
              <option key={value} value={value}>
                {value === 'auto' && preview?.format.delimiterDetected ? `Detect (${DELIMITER_LABELS[preview.format.delimiter as ImportDelimiter]})` : DELIMITER_LABELS[value]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Encoding
          <select data-testid="import-encoding" onChange={(e) => setEncoding(e.target.value as ImportEncoding)} value={encoding}>
            {IMPORT_ENCODINGS.map((value) => (
              <option key={value} value={value}>
                {value === 'auto' && preview?.format.encodingDetected ? `Detect (${ENCODING_LABELS[preview.format.encoding as ImportEncoding] ?? preview.format.encoding})` : ENCODING_LABELS[value]}
              </option>
            ))}
          </select>
        </label>
        <label className="import-panel__check">
          <input checked={hasHeader} onChange={(e) => setHasHeader(e.target.checked)} type="checkbox" /> The first row names the columns
        </label>
      </div>

      {previewError && (
        <p className="import-panel__error" role="alert">
          {previewError}
        </p>
      )}
      {preview && !previewError && (
        <>
          {preview.remembered && <p className="import-panel__note">Columns are mapped as in this organisation’s last import with the same headers.</p>}
          <div className="import-panel__table-wrap">
            <table className="import-panel__table" data-testid="import-preview">
              <thead>
                <tr>
                  {preview.headers.map((header, column) => (
                    <th key={column} scope="col">
                      <span className="import-panel__header">{header}</span>
                      <select
                        aria-label={`Column “${header}” is`}
                        data-testid={`import-map-${column}`}
                        onChange={(e) => choose(column, (e.target.value || null) as ImportField | null)}
                        value={mapping[column] ?? ''}
                      >
                        <option value="">Ignore</option>
                        {IMPORT_FIELDS.map((field) => (
                          <option key={field} value={field}>
                            {IMPORT_FIELD_LABELS[field]}
                          </option>
                        ))}
                      </select>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((row, r) => (
                  <tr key={r}>
                    {preview.headers.map((_, column) => (
                      <td className={mapping[column] ? undefined : 'import-panel__ignored'} key={column}>
                        {row[column] ?? ''}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p className="import-panel__muted">The first {preview.rows.length} rows. Addresses are trimmed and lower-cased, phone numbers written as +country code and digits.</p>
        </>
      )}

      <fieldset className="import-panel__modes">
        <legend>What the import does</legend>
        {IMPORT_MODES.map((value) => (
          <label key={value}>
            <input checked={mode === value} data-testid={`import-mode-${value}`} name="import-mode" onChange={() => setMode(value)} type="radio" /> {IMPORT_MODE_LABELS[value]}
          </label>
        ))}
      </fieldset>

      <div className="import-panel__options">
        <label>
          Phone numbers without a country code are in
          <select data-testid="import-country" disabled={!phoneMapped} onChange={(e) => setCountry(e.target.value)} value={country}>
            <option value="">— no default (numbers need +country code)</option>
            {COUNTRIES.map((code) => (
              <option key={code} value={code}>
                {regionName(code)} ({code})
              </option>
            ))}
          </select>
        </label>
        {mode !== 'suppress' && (
          <div className="import-panel__tags">
            <span>Tag every imported contact with</span>
            <TagsInput disabled={false} label="Tags for every imported contact" onChange={setTags} suggestions={suggestions} values={tags} />
          </div>
        )}
      </div>

      {startError && (
        <p className="import-panel__error" role="alert" data-testid="import-start-error">
          {startError}
        </p>
      )}
      <Button buttonStyle="primary" disabled={!preview || Boolean(previewError) || starting} margin={false} onClick={start} size="medium">
        {starting ? 'Starting…' : 'Start the import'}
      </Button>
    </section>
  )
}
