import { describe, expect, it } from 'vitest'

import { AppError } from '@/services/errors/app-error'
import { planTemplateChange } from '@/services/templates/plan-template-change'
import { renderTemplate, renderTemplateParts } from '@/services/templates/render-template'
import { MARKER_PREFIX, valueMarker } from '@/services/templates/substitution-marker'
import { buildTemplateVariables } from '@/services/templates/template-variables'
import { validateTemplateSource } from '@/services/templates/validate-template-source'
import { buildUnsubscribeUrl } from '@/services/unsubscribe/build-unsubscribe-url'

const ALL = { approve: true, edit: true, submit: true }
const vars = buildTemplateVariables({
  contact: { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' },
  org: { name: 'Demo Org', postalAddress: '1 Demo Street' },
  unsubscribeUrl: 'https://x.example/api/unsubscribe/t',
})

describe('validateTemplateSource', () => {
  it('lists the variables used and names unknown ones', () => {
    expect(validateTemplateSource('Hi {{first_name}} {{ full_name }}').variables).toEqual(['first_name', 'full_name'])
    expect(validateTemplateSource('{{frist_name}}').errors).toEqual(['Unknown variable {{frist_name}}.'])
    // Names an object has by inheritance are not variables either.
    expect(validateTemplateSource('{{constructor}}').errors).toEqual(['Unknown variable {{constructor}}.'])
    expect(validateTemplateSource('{{#if first_name}}{{first_name}}{{else}}friend{{/if}}').errors).toEqual([])
  })
  it('refuses helpers, paths, raw output, partials and broken syntax', () => {
    for (const source of ['{{lookup a b}}', '{{a.b}}', '{{{first_name}}}', '{{> partial}}', '{{#each x}}{{/each}}', '{{@root}}', '{{#if}}']) {
      expect(validateTemplateSource(source).errors.length, source).toBeGreaterThan(0)
    }
    expect(validateTemplateSource('{{first_name').errors[0]).toMatch(/syntax error/)
  })
})

describe('renderTemplate', () => {
  it('escapes HTML in the body, not in subject or text; adds footer and address', () => {
    const evil = { ...vars, first_name: '<script>x</script>' }
    const out = renderTemplate({ subject: 'Hi {{first_name}}\r\nBcc: x', html: '<p>{{first_name}}</p>', footer: '<a href="{{unsubscribe_link}}">u</a>' }, evil)
    expect(out.html).toContain('&lt;script&gt;')
    expect(out.html).toContain('1 Demo Street')
    expect(out.subject).toBe('Hi <script>x</script> Bcc: x') // no header injection through newlines
    expect(out.text).toContain('<script>x</script>')
    expect(out.text).toContain('https://x.example/api/unsubscribe/t')
  })
  it('uses the text body when given and places the address once', () => {
    const out = renderTemplate(
      { subject: 's', html: '<p>x</p>', text: 'Dear {{full_name}}', footer: '{{org_postal_address}} {{unsubscribe_link}}' },
      vars,
    )
    expect(out.text.startsWith('Dear Ada Lovelace')).toBe(true)
    expect(out.html.match(/1 Demo Street/g)).toHaveLength(1)
  })
})

describe('renderTemplateParts (render once per job, substitute per recipient)', () => {
  const content = {
    subject: 'News for {{first_name}}',
    html: '<h1>Hello {{full_name}}</h1><p>Write to {{email}}.</p><p><a href="{{unsubscribe_link}}">Unsubscribe</a></p>',
    footer: '{{org_name}}',
  }
  const forContact = (firstName: string, lastName: string, email: string) =>
    buildTemplateVariables({ contact: { firstName, lastName, email }, org: { name: 'Demo Org', postalAddress: '1 Demo Street' }, unsubscribeUrl: `https://x.example/api/unsubscribe/${email}?a=1&b=2` })

  it('shares the same parts between recipients; their substitutions make exactly what rendering them in would', () => {
    const a = renderTemplateParts(content, forContact('Ada', 'Lovelace', 'ada@example.com'))
    const b = renderTemplateParts(content, forContact('Tom & <b>Jerry</b>', 'O\'Neil', 'tom@example.com'))
    expect({ subject: a.subject, html: a.html, text: a.text }).toEqual({ subject: b.subject, html: b.html, text: b.text })
    expect(Object.keys(a.substitutions).length).toBeGreaterThan(0)
    // HTML gets escaped values, text the raw ones; headings keep the name's case.
    expect(b.substitutions[valueMarker('h', 'full_name')]).toBe('Tom &amp; &lt;b&gt;Jerry&lt;/b&gt; O&#x27;Neil')
    expect(b.substitutions[valueMarker('t', 'full_name')]).toBe("Tom & <b>Jerry</b> O'Neil")
    const rendered = renderTemplate(content, forContact('Tom & <b>Jerry</b>', 'O\'Neil', 'tom@example.com'))
    expect(rendered.subject).toBe('News for Tom & <b>Jerry</b>')
    expect(rendered.html).toContain('<h1>Hello Tom &amp; &lt;b&gt;Jerry&lt;/b&gt; O&#x27;Neil</h1>')
    expect(rendered.html).toContain('href="https://x.example/api/unsubscribe/tom@example.com?a&#x3D;1&amp;b&#x3D;2"')
    expect(rendered.text).toContain("Hello Tom & <b>Jerry</b> O'Neil")
    expect(rendered.text).toContain('Unsubscribe [https://x.example/api/unsubscribe/tom@example.com?a=1&b=2]')
    expect(rendered.text).toContain('1 Demo Street')
    expect(`${rendered.subject}${rendered.html}${rendered.text}`).not.toContain(MARKER_PREFIX)
  })

  it('a template cannot spell out a value marker to get a value in unescaped', () => {
    // The old fixed markers (~~t:first_name~~) and any guess at the new ones stay plain text.
    const attack = {
      subject: 'Hi ~~t:first_name~~',
      html: '<p>~~t:first_name~~ ~~h:first_name~~ ~~t:full_name~~ {{first_name}}</p><a href="{{unsubscribe_link}}">x</a>',
      footer: '',
    }
    const evil = '<img src=x onerror=alert(1)>'
    const rendered = renderTemplate(attack, buildTemplateVariables({ contact: { firstName: evil, email: 'e@example.com' }, org: { name: 'O', postalAddress: '' }, unsubscribeUrl: 'https://x.example/u' }))
    expect(rendered.html).not.toContain('<img')
    expect(rendered.html).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;')
    expect(rendered.html).toContain('~~t:first_name~~ ~~h:first_name~~ ~~t:full_name~~')
    expect(rendered.subject).toBe('Hi ~~t:first_name~~')
    // The markers in use carry a per-process secret that no template source can know.
    expect(valueMarker('t', 'first_name')).toMatch(/^~~[0-9a-f]{24}:t:first_name~~$/)
  })

  it('templates that need the values themselves (conditionals) are rendered per recipient', () => {
    const conditional = { subject: 'Hi', html: '<p>{{#if first_name}}Dear {{first_name}}{{else}}Dear reader{{/if}}</p>' }
    const named = renderTemplateParts(conditional, forContact('Ada', '', 'ada@example.com'))
    const unnamed = renderTemplateParts(conditional, forContact('', '', 'x@example.com'))
    expect(named.substitutions).toEqual({})
    expect(named.html).toContain('Dear Ada')
    expect(unnamed.html).toContain('Dear reader')
  })
})

describe('buildUnsubscribeUrl', () => {
  it('prefers UNSUBSCRIBE_URL, then SITE_URL, then mailto', () => {
    expect(buildUnsubscribeUrl({ env: { UNSUBSCRIBE_URL: 'https://u.example/', SITE_URL: 'https://s.example' }, fromAddress: 'a@x', token: 't' })).toBe(
      'https://u.example/api/unsubscribe/t',
    )
    expect(buildUnsubscribeUrl({ env: { SITE_URL: 'https://s.example' }, fromAddress: 'a@x', token: 't' })).toBe('https://s.example/api/unsubscribe/t')
    expect(buildUnsubscribeUrl({ env: { UNSUBSCRIBE_MAILTO: 'stop@x.example' }, fromAddress: 'a@x', token: 't' })).toBe(
      'mailto:stop@x.example?subject=unsubscribe%20t',
    )
    expect(buildUnsubscribeUrl({ env: {}, fromAddress: 'news@x.example', token: 't' })).toMatch(/^mailto:news@x\.example/)
  })
})

describe('planTemplateChange', () => {
  const actor = { id: 1 }
  const pending = { status: 'pending' as const, submittedBy: 2, subject: 's', html: 'h' }
  const plan = (args: Partial<Parameters<typeof planTemplateChange>[0]>) =>
    planTemplateChange({ actor, can: ALL, data: {}, requireFourEyes: true, ...args })

  it('approves a pending template and records who and when', () => {
    const now = new Date('2026-01-01T00:00:00Z')
    expect(plan({ before: pending, data: { status: 'approved' }, now }).patch).toEqual(
      expect.objectContaining({ status: 'approved', approvedBy: 1, approvedAt: now.toISOString() }),
    )
  })
  it('applies four-eyes only when required', () => {
    const own = { ...pending, submittedBy: 1 }
    expect(() => plan({ before: own, data: { status: 'approved' } })).toThrow(/Four-eyes/)
    expect(plan({ before: own, data: { status: 'approved' }, requireFourEyes: false }).patch.status).toBe('approved')
  })
  it('checks the role for each step', () => {
    expect(() => plan({ before: pending, data: { status: 'approved' }, can: { ...ALL, approve: false } })).toThrow(AppError)
    expect(() => plan({ before: { status: 'draft' }, data: { status: 'pending' }, can: { ...ALL, submit: false } })).toThrow(/submit/)
    expect(() => plan({ before: pending, data: { html: 'new' }, can: { ...ALL, edit: false } })).toThrow(/content/)
  })
  it('sends changed content back to draft from every reviewed state', () => {
    for (const status of ['pending', 'approved', 'rejected'] as const) {
      const result = plan({ before: { ...pending, status }, data: { subject: 'new', status } })
      expect(result.patch).toEqual(expect.objectContaining({ status: 'draft', approvedBy: null, approvedAt: null }))
      expect(result.audit?.action).toBe('template.reset_to_draft')
    }
  })
  it('lets system work set any state, and refuses unknown states', () => {
    expect(planTemplateChange({ actor: null, can: ALL, data: { status: 'approved' }, requireFourEyes: true }).patch.status).toBe('approved')
    expect(() => plan({ before: pending, data: { status: 'published' as never } })).toThrow(/Unknown status/)
  })
})
