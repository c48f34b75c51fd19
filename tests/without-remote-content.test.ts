import { describe, expect, it } from 'vitest'

import { withoutRemoteContent } from '@/components/TemplatePreview/without-remote-content'

describe('the template preview holds back remote content', () => {
  it('replaces remote images, backgrounds and stylesheets, keeps local and inline ones, and counts them', () => {
    const html = [
      '<img src="https://tracker.example.net/p.gif" alt="x">',
      "<img alt='y' src='//cdn.example.com/logo.png'>",
      '<img src="data:image/png;base64,AAAA">',
      '<img src="/api/media/file/a.png">',
      '<td style="background:url(https://x.example/bg.jpg)">',
      '<div style="background-image: url( \'http://x.example/a.png\' )">',
      '<link rel="stylesheet" href="https://fonts.example/css">',
      '<link rel="icon" href="/favicon.ico">',
      '<a href="https://example.org/news">keep links</a>',
    ].join('\n')
    const { html: safe, held } = withoutRemoteContent(html)
    expect(held).toBe(5)
    expect(safe).not.toMatch(/tracker\.example|cdn\.example|x\.example|fonts\.example/)
    expect(safe).toContain('src="data:image/png;base64,AAAA"')
    expect(safe).toContain('src="/api/media/file/a.png"')
    expect(safe).toContain('<link rel="icon" href="/favicon.ico">')
    expect(safe).toContain('<a href="https://example.org/news">keep links</a>')
    expect(withoutRemoteContent('<p>plain</p>')).toEqual({ html: '<p>plain</p>', held: 0 })
  })
})
