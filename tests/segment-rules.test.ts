import { describe, expect, it } from 'vitest'

import { audienceSql } from '@/services/audiences/audience-sql'
import { compileSegmentRules } from '@/services/audiences/compile-segment-rules'
import { parseSegmentRules, type SegmentRules } from '@/services/audiences/segment-rules'
import { selectionStateSql } from '@/services/audiences/selection-state-sql'

const rules = (conditions: unknown[], match = 'all') => {
  const parsed = parseSegmentRules({ match, conditions })
  if (!parsed.ok) throw new Error(parsed.problems.join(' '))
  return parsed.rules
}

describe('parseSegmentRules', () => {
  it('fills in "all", trims values and keeps each kind of condition', () => {
    const parsed = parseSegmentRules({ conditions: [{ field: 'tags', op: 'any', values: [' donor '] }, { field: 'engagement', op: 'never_opened' }] })
    expect(parsed).toEqual({ ok: true, rules: { match: 'all', conditions: [{ field: 'tags', op: 'any', values: ['donor'] }, { field: 'engagement', op: 'never_opened' }] } })
  })

  it.each([
    [{ conditions: [{ field: 'engagement', op: 'opened_within', days: 1.5 }] }, ['Condition 1: Days are whole numbers.']],
    [{ conditions: [{ field: 'engagement', op: 'opened_within', days: 4000 }] }, ['Condition 1: At most 3,650 days (ten years).']],
    [{ conditions: [{ field: 'lastContacted', op: 'sometimes' }] }, ['Condition 1: This kind of condition is not known: check its field and operator.']],
    [{ conditions: [{ field: 'tags', op: 'any', values: ['ok'] }, { field: 'email', op: 'is' }] }, ['Condition 2: Give a value to compare with.']],
    [{ conditions: Array.from({ length: 21 }, () => ({ field: 'engagement', op: 'never_opened' })) }, ['At most 20 conditions.']],
    [{ match: 'some', conditions: [{ field: 'engagement', op: 'never_opened' }] }, [expect.stringContaining('Invalid option')]],
  ])('refuses %j naming each problem', (value, problems) => {
    expect(parseSegmentRules(value)).toEqual({ ok: false, problems })
  })
})

describe('compileSegmentRules', () => {
  it('puts every value in a parameter, never in the SQL text', () => {
    const hostile = "x'); DROP TABLE contacts; --"
    const compiled = compileSegmentRules(
      rules([
        { field: 'firstName', op: 'contains', value: hostile },
        { field: 'tags', op: 'all', values: [hostile, 'b'] },
        { field: 'createdAt', op: 'before', date: '2026-01-31' },
        { field: 'engagement', op: 'opened_within', days: 30 },
        { field: 'suppressed', channel: 'sms', op: 'is' },
      ]),
      5,
    )
    expect(compiled.sql).not.toContain('DROP')
    expect(compiled.sql).not.toContain('2026')
    expect(compiled.params).toEqual([`%x'); DROP TABLE contacts; --%`, [hostile, 'b'], '2026-01-31', 30, 'sms'])
    // Placeholders start where the caller said and are numbered in order.
    expect(compiled.sql.match(/\$\d+/g)).toEqual(['$5', '$6', '$7', '$8', '$9'])
  })

  it('escapes LIKE wildcards in a value and compares phones as stored', () => {
    expect(compileSegmentRules(rules([{ field: 'email', op: 'starts_with', value: '50%_off\\' }])).params).toEqual(['50\\%\\_off\\\\%'])
    expect(compileSegmentRules(rules([{ field: 'phone', op: 'is', value: '+44 (20) 7946-0958' }])).params).toEqual(['+442079460958'])
  })

  it('joins conditions with AND for "all" and OR for "any"', () => {
    const two = [{ field: 'engagement', op: 'never_opened' }, { field: 'lastContacted', op: 'never' }]
    expect(compileSegmentRules(rules(two, 'all')).sql).toMatch(/\) AND \(/)
    expect(compileSegmentRules(rules(two, 'any')).sql).toMatch(/\) OR \(/)
  })
})

describe('audienceSql and selectionStateSql', () => {
  const tagRules: SegmentRules = rules([{ field: 'tags', op: 'any', values: ['vip'] }])
  it('an audience of nothing matches nobody; exclusions are never NULL', () => {
    const none = audienceSql({ all: false, tags: [], segments: [], selection: false, excludeTags: [], excludeSegments: [] }, { org: 7, job: 1 })
    expect(none.sql).toBe('c.org_id = $1 AND FALSE')
    const excluded = audienceSql({ all: true, tags: [], segments: [], selection: false, excludeTags: ['x'], excludeSegments: [{ id: 3, rules: tagRules }] }, { org: 7, job: 1 })
    expect(excluded.sql.match(/NOT coalesce\(/g)).toHaveLength(2)
    expect(excluded.params).toEqual([7, ['x'], ['vip']])
  })

  it('folds the steps of a selection change in order, from what is stored', () => {
    const state = selectionStateSql(
      [
        { op: 'add', ids: [1, 2] },
        { op: 'addMatching', filter: { tag: 'vip' } },
        { op: 'remove', ids: [2] },
      ],
      { job: 9, segments: new Map() },
      3,
    )
    expect(state.params).toEqual([9, [1, 2], 'vip', [2]])
    expect(state.sql).toBe(
      "(((EXISTS (SELECT 1 FROM job_audience_contacts s WHERE s.job_id = $3 AND s.contact_id = c.id) OR c.id = ANY($4::int[])) OR coalesce(EXISTS (SELECT 1 FROM contacts_texts t WHERE t.parent_id = c.id AND t.path = 'tags' AND t.text = $5), false)) AND NOT c.id = ANY($6::int[]))",
    )
    // A clear forgets what came before; a job not created yet has nothing stored.
    expect(selectionStateSql([{ op: 'add', ids: [1] }, { op: 'clear' }], { job: 9, segments: new Map() }, 1).sql).toBe('FALSE')
    expect(selectionStateSql([], { job: undefined, segments: new Map() }, 1)).toEqual({ sql: 'FALSE', params: [] })
  })
})
