import { describe, expect, it } from 'vitest'

import { chosenIDs, filterSegmentIDs, isEmptyChange, parsePickerFilter, parseSelectionChange } from '@/services/audiences/selection-change'
import { cleared, foldSelection, stepsOf, withIDs, withMatching } from '@/components/recipient-picker/selection-steps'

describe('parseSelectionChange', () => {
  it('reads one step object in a fixed order, or a list of steps in the order given', () => {
    expect(parseSelectionChange({ remove: ['3'], add: [1, 2, 2], clear: true })).toEqual([
      { op: 'clear' },
      { op: 'add', ids: [1, 2] },
      { op: 'remove', ids: [3] },
    ])
    expect(parseSelectionChange([{ addMatching: { tag: ' vip ', segment: '4' } }, { remove: [5] }])).toEqual([
      { op: 'addMatching', filter: { search: undefined, tag: 'vip', segment: 4 } },
      { op: 'remove', ids: [5] },
    ])
  })

  it.each([
    ['a fraction', { add: [1.5] }, '`add`: "1.5" is not a contact id.'],
    ['SQL as an id', { set: ['1 OR 1=1'] }, '`set`: "1 OR 1=1" is not a contact id.'],
    ['100,001 ids', { add: Array.from({ length: 100_001 }, (_, i) => i + 1) }, 'At most 100,000 ids at once'],
    ['201 steps', Array.from({ length: 201 }, () => ({ clear: true })), 'At most 200 steps at once.'],
    ['a blank filter', { removeMatching: { search: '   ' } }, 'A filter needs a search, a tag or a segment.'],
    ['ids as a word', { add: 'everyone' }, 'The selection change is not valid'],
    ['null', null, 'The selection change is not valid'],
  ])('refuses %s', (_label, value, reason) => {
    expect(() => parseSelectionChange(value)).toThrow(reason)
  })

  it('names the ids to check and the segments to read', () => {
    const change = parseSelectionChange([{ set: [1] }, { add: [2, 1] }, { addMatching: { segment: 7 } }, { removeMatching: { segment: 7, tag: 'x' } }])
    expect(chosenIDs(change)).toEqual([1, 2])
    expect(filterSegmentIDs(change)).toEqual([7])
    expect(isEmptyChange(change)).toBe(false)
    expect(isEmptyChange(parseSelectionChange({ add: [], remove: [] }))).toBe(true)
  })

  it('a search filter may be empty (everything), and is checked', () => {
    expect(parsePickerFilter(undefined)).toEqual({ search: undefined, tag: undefined, segment: undefined })
    expect(() => parsePickerFilter({ tag: 'x'.repeat(101) })).toThrow('A tag is at most 100 characters.')
  })
})

describe("the picker's steps", () => {
  it('keeps one trailing id step where the last click wins', () => {
    let steps = withIDs([], [1, 2], true)
    steps = withIDs(steps, [2], false)
    expect(steps).toEqual([{ add: [1], remove: [2] }])
    steps = withMatching(steps, { tag: 'vip' }, true)
    steps = withIDs(steps, [1], false)
    expect(steps).toEqual([{ add: [1], remove: [2] }, { addMatching: { tag: 'vip' } }, { remove: [1] }])
    // Every id step undone leaves no empty step behind.
    expect(withIDs(withIDs([], [3], true), [3], true)).toEqual([{ add: [3] }])
    expect(withIDs([{ add: [3] }], [], false)).toEqual([{ add: [3] }])
  })

  it('folds steps over the stored selection as the server will', () => {
    const vip = [10, 11]
    const steps = [{ add: [1] }, { addMatching: { tag: 'vip' } }, { remove: [10] }, ...cleared(), { add: [4] }]
    expect([...foldSelection([7], steps.slice(0, 3), () => vip)].sort((a, b) => a - b)).toEqual([1, 7, 11])
    expect([...foldSelection([7], steps, () => vip)]).toEqual([4])
  })

  it('reads only step objects from the form value', () => {
    expect(stepsOf(null)).toEqual([])
    expect(stepsOf('x')).toEqual([])
    expect(stepsOf([{ add: [1] }, 3, null, [1]])).toEqual([{ add: [1] }])
  })
})
