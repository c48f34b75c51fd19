'use client'
import { Button, FieldDescription, FieldError, FieldLabel, useConfig, useField, useFormFields } from '@payloadcms/ui'
import type { JSONFieldClientComponent } from 'payload'
import React, { useEffect, useId, useMemo, useRef, useState } from 'react'

import { TagsInput, useOrgTags } from '../tags/TagsInput'

import { type Condition, CONDITION_KINDS, conditionSummary, defaultCondition, type Rules } from './rules-model'

import './segment-builder.scss'

const number = new Intl.NumberFormat('en')

type Count = { state: 'idle' } | { state: 'counting' } | { state: 'done'; count: number } | { state: 'error'; message: string }

/** The org of the document being edited (a relationship value, populated or not). */
const orgOf = (value: unknown): number | undefined => {
  const raw = value && typeof value === 'object' && 'id' in value ? (value as { id: unknown }).id : value
  const id = typeof raw === 'string' ? Number(raw) : raw
  return typeof id === 'number' && Number.isFinite(id) ? id : undefined
}

/** Live count of the rules as they stand: debounced, the previous request aborted, errors shown as sent. */
const useLiveCount = (org: number | undefined, rules: Rules): Count => {
  const { config } = useConfig()
  const [count, setCount] = useState<Count>({ state: 'idle' })
  const key = JSON.stringify(rules)
  const controller = useRef<AbortController | null>(null)
  useEffect(() => {
    if (org === undefined) return
    const timer = setTimeout(async () => {
      controller.current?.abort()
      const current = new AbortController()
      controller.current = current
      setCount({ state: 'counting' })
      try {
        const res = await fetch(`${config.routes.api}/segments/count-rules`, {
          method: 'POST',
          credentials: 'include',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ org, rules: JSON.parse(key) }),
          signal: current.signal,
        })
        const body = await res.json()
        if (current.signal.aborted) return
        setCount(res.ok ? { state: 'done', count: body.count } : { state: 'error', message: body.errors?.[0]?.message ?? 'The count failed.' })
      } catch (error) {
        if (!current.signal.aborted) setCount({ state: 'error', message: (error as Error).message })
      }
    }, 400)
    return () => clearTimeout(timer)
  }, [org, key, config.routes.api])
  return count
}

const ConditionRow = ({
  condition,
  index,
  onChange,
  onRemove,
  readOnly,
  tags,
}: {
  condition: Condition
  index: number
  onChange: (c: Condition) => void
  onRemove: () => void
  readOnly: boolean
  tags: string[]
}) => {
  const id = useId()
  const kind = CONDITION_KINDS.find((k) => k.field === condition.field)!
  const op = 'op' in condition ? condition.op : ''
  const opInfo = kind.ops.find((o) => o.op === op)
  const set = (patch: Partial<Record<string, unknown>>) => onChange({ ...condition, ...patch } as Condition)
  return (
    <li className="segment-builder__row" data-testid={`segment-condition-${index}`}>
      <label className="segment-builder__sr" htmlFor={`${id}-field`}>Condition {index + 1}: what</label>
      <select id={`${id}-field`} disabled={readOnly} value={condition.field} onChange={(e) => onChange(defaultCondition(e.target.value as Condition['field']))}>
        {CONDITION_KINDS.map((k) => (
          <option key={k.field} value={k.field}>
            {k.label}
          </option>
        ))}
      </select>
      {condition.field === 'suppressed' && (
        <>
          <label className="segment-builder__sr" htmlFor={`${id}-channel`}>Channel</label>
          <select id={`${id}-channel`} disabled={readOnly} value={condition.channel} onChange={(e) => set({ channel: e.target.value })}>
            <option value="email">for email</option>
            <option value="sms">for SMS</option>
          </select>
        </>
      )}
      <label className="segment-builder__sr" htmlFor={`${id}-op`}>How</label>
      <select id={`${id}-op`} disabled={readOnly} value={op} onChange={(e) => onChange(kind.withOp(condition, e.target.value))}>
        {kind.ops.map((o) => (
          <option key={o.op} value={o.op}>
            {o.label}
          </option>
        ))}
      </select>
      {opInfo?.input === 'tags' && 'values' in condition && (
        <TagsInput disabled={readOnly} label={`Condition ${index + 1}: tags`} onChange={(values) => set({ values })} suggestions={tags} values={condition.values} />
      )}
      {opInfo?.input === 'text' && 'value' in condition && (
        <input aria-label="Value" disabled={readOnly} onChange={(e) => set({ value: e.target.value })} value={condition.value ?? ''} />
      )}
      {opInfo?.input === 'date' && 'date' in condition && <input aria-label="Date" disabled={readOnly} onChange={(e) => set({ date: e.target.value })} type="date" value={condition.date} />}
      {opInfo?.input === 'days' && 'days' in condition && (
        <span className="segment-builder__days">
          <input aria-label="Days" disabled={readOnly} min={1} max={3650} onChange={(e) => set({ days: Number(e.target.value) })} type="number" value={condition.days} />
          days
        </span>
      )}
      {!readOnly && (
        <Button buttonStyle="subtle" margin={false} onClick={onRemove} size="small" aria-label={`Remove condition ${index + 1}`}>
          Remove
        </Button>
      )}
    </li>
  )
}

/**
 * Edits a segment's rules (match all or any of a list of conditions) and shows, while editing, how
 * many of the organisation's contacts they match, counted by the server (POST /api/segments/count-rules).
 */
export const SegmentBuilder: JSONFieldClientComponent = ({ field, path, readOnly: readOnlyProp }) => {
  const { value, setValue, showError } = useField<Rules>({ path })
  const org = orgOf(useFormFields(([fields]) => fields.org?.value))
  const readOnly = Boolean(readOnlyProp || field.admin?.readOnly)
  const rules: Rules = useMemo(() => (value && typeof value === 'object' && Array.isArray(value.conditions) ? value : { match: 'all', conditions: [] }), [value])
  const count = useLiveCount(org, rules)
  const tags = useOrgTags(org)
  const update = (next: Rules) => setValue(next)
  return (
    <div className="field-type segment-builder" data-testid="segment-builder">
      <FieldLabel label={field.label ?? 'Rules'} path={path} required />
      <FieldError path={path} showError={showError} />
      <div className="segment-builder__panel">
        <p className="segment-builder__match">
          Contacts matching{' '}
          <select aria-label="Match all or any of the conditions" disabled={readOnly} value={rules.match} onChange={(e) => update({ ...rules, match: e.target.value as Rules['match'] })}>
            <option value="all">all</option>
            <option value="any">any</option>
          </select>{' '}
          of these conditions:
        </p>
        <ol className="segment-builder__rows">
          {rules.conditions.map((condition, index) => (
            <ConditionRow
              condition={condition}
              index={index}
              key={index}
              onChange={(next) => update({ ...rules, conditions: rules.conditions.map((c, i) => (i === index ? next : c)) })}
              onRemove={() => update({ ...rules, conditions: rules.conditions.filter((_, i) => i !== index) })}
              readOnly={readOnly}
              tags={tags}
            />
          ))}
        </ol>
        {!readOnly && (
          <Button buttonStyle="secondary" margin={false} onClick={() => update({ ...rules, conditions: [...rules.conditions, defaultCondition('tags')] })} size="small">
            Add a condition
          </Button>
        )}
        <div className={`segment-builder__count segment-builder__count--${count.state}`} aria-live="polite" data-testid="segment-count">
          {org === undefined ? (
            'Choose the organisation to see how many contacts match.'
          ) : count.state === 'counting' || count.state === 'idle' ? (
            'Counting…'
          ) : count.state === 'error' ? (
            <>Not counted yet: {count.message}</>
          ) : (
            <>
              <strong data-testid="segment-count-value">{number.format(count.count)}</strong> contact{count.count === 1 ? '' : 's'} match now
              <span className="segment-builder__summary">{rules.conditions.map(conditionSummary).join(rules.match === 'all' ? ' and ' : ' or ')}</span>
            </>
          )}
        </div>
      </div>
      <FieldDescription description={field.admin?.description} path={path} />
    </div>
  )
}
