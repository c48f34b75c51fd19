import { describe, expect, it } from 'vitest'

import { replyPart } from '@/services/inbox/process-inbound-email'
import { sanitizeEmailHtml } from '@/services/inbox/sanitize-email-html'

describe('sanitizeEmailHtml', () => {
  it('keeps formatting and drops what could run, track or restyle the admin', () => {
    const html = sanitizeEmailHtml(
      `<html><head><style>body{display:none}</style><script>alert(1)</script></head><body>
        <p onclick="steal()" style="color:red">Hello <b>there</b></p>
        <img src="https://tracker.example/pixel.gif?u=1"><img src="data:image/png;base64,iVBORw0KGgo=" alt="logo">
        <a href="javascript:alert(1)">bad</a> <a href="https://example.org/x">good</a>
        <form action="https://evil.example"><input name="password"></form><iframe src="https://evil.example"></iframe>
        <svg onload="alert(1)"></svg><a href="https://a.example/" target="_self" rel="opener">own</a></body></html>`,
    )
    expect(html).toContain('<a href="https://a.example/" target="_blank" rel="noopener noreferrer nofollow">own</a>')
    expect(html).toContain('<p>Hello <b>there</b></p>')
    expect(html).toContain('<a href="https://example.org/x" target="_blank" rel="noopener noreferrer nofollow">good</a>')
    expect(html).toContain('src="data:image/png;base64,iVBORw0KGgo="')
    for (const banned of ['<script', 'alert(', 'onclick', 'style=', 'tracker.example', 'javascript:', '<form', '<input', '<iframe', '<svg', 'display:none']) {
      expect(html, banned).not.toContain(banned)
    }
  })
})

describe('replyPart', () => {
  it.each([
    ['Gmail', 'Sounds good!\n\nOn Fri, 4 Dec 2026 at 10:00, News <news@send.example> wrote:\n> Hello', 'Sounds good!'],
    ['Gmail, the line wrapped', 'Sounds good!\n\nOn Fri, 4 Dec 2026 at 10:00, News\n<news@send.example> wrote:\n> Hello', 'Sounds good!'],
    ['Outlook', 'Thanks.\r\n\r\nFrom: News <news@send.example>\r\nSent: Friday\r\nSubject: x', 'Thanks.'],
    ['Outlook, older', 'Thanks.\n-----Original Message-----\nFrom: News', 'Thanks.'],
    ['quoted only', '> Hello', ''],
    ['no history', 'Just this.\nAnd this.', 'Just this.\nAnd this.'],
  ])('%s', (_, text, expected) => {
    expect(replyPart(text)).toBe(expected)
  })
})
