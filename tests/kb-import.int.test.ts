import type { Payload } from 'payload'
import { beforeAll, describe, expect, it } from 'vitest'

import { type ApiClient, getTestPayload, loginAs } from './helpers/app'
import { makeUser, unique } from './helpers/fixtures'

/**
 * Importing knowledge-base articles from files through REST: Markdown, plain text, HTML (headings kept
 * as Markdown headings) and PDF (read with pdf.js; the PDF is written here, byte by byte), each file
 * on its own, with a sentence for every file refused; role and org rules as for any article.
 */
let payload: Payload
let org: number
let other: number
let editor: ApiClient
let sender: ApiClient
let stranger: ApiClient

/** A one-page PDF whose text is `lines` (Helvetica, one text line each), with a correct cross-reference table. */
const pdfOf = (lines: string[]): Uint8Array => {
  const escape = (s: string) => s.replace(/[\\()]/g, (c) => `\\${c}`)
  const stream = `BT /F1 12 Tf 72 720 Td 14 TL ${lines.map((l) => `(${escape(l)}) Tj T*`).join(' ')} ET`
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ]
  let out = '%PDF-1.4\n'
  const offsets: number[] = []
  objects.forEach((body, i) => {
    offsets.push(out.length)
    out += `${i + 1} 0 obj\n${body}\nendobj\n`
  })
  const xref = out.length
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return new TextEncoder().encode(out)
}

const upload = (client: ApiClient, files: [string, Uint8Array | string, string?][], fields: Record<string, string> = {}) => {
  const form = new FormData()
  for (const [key, value] of Object.entries({ org: String(org), ...fields })) form.append(key, value)
  for (const [name, content, type] of files) form.append('file', new Blob([content as BlobPart], { type: type ?? 'application/octet-stream' }), name)
  return client.rest('POST', '/kb-articles/import', { formData: form })
}

beforeAll(async () => {
  payload = await getTestPayload()
  const make = async (slug: string) => (await payload.create({ collection: 'organizations', data: { name: slug, slug: unique(slug), postalAddress: '1 Quay' } as never })).id
  org = await make('import')
  other = await make('import-other')
  const password = 'fixture-password'
  const login = async (memberships: { org: number; roles: ('admin' | 'approver' | 'sender' | 'viewer')[] }[]) => loginAs((await makeUser(payload, memberships, { password })).email, password)
  editor = await login([{ org, roles: ['approver'] }])
  sender = await login([{ org, roles: ['sender'] }])
  stranger = await login([{ org: other, roles: ['admin'] }])
})

describe('importing knowledge-base articles from files', () => {
  it('reads Markdown, text, HTML and PDF into articles: drafts by default, titled by their first heading or file name', async () => {
    const html = '<html><head><style>p{}</style><script>alert(1)</script></head><body><h1>Parking guide</h1><p>Park behind the <a href="/x">clinic</a>.</p><h2>Blue badge</h2><p>Two bays by the door.</p></body></html>'
    const res = await upload(editor, [
      ['hours.md', '# Opening hours\n\n## Saturday\n\nOpen 9 to 1.', 'text/markdown'],
      ['fees_2026.txt', 'A check-up costs £45.\r\nA filling costs £80.', 'text/plain'],
      ['parking.html', html, 'text/html'],
      ['policy.pdf', pdfOf(['Cancellation policy', 'Cancel at least 24 hours ahead.', 'Late cancellations cost (GBP) 20.']), 'application/pdf'],
    ])
    expect(res.status).toBe(200)
    expect(res.body.results.map((r: { ok: boolean; title: string; status: string }) => [r.ok, r.title, r.status])).toEqual([
      [true, 'Opening hours', 'draft'],
      [true, 'fees 2026', 'draft'],
      [true, 'Parking guide', 'draft'],
      [true, 'policy', 'draft'],
    ])
    const docs = await Promise.all(res.body.results.map((r: { id: number }) => payload.findByID({ collection: 'kb-articles', id: r.id, depth: 0 })))
    expect(docs[1]!.body).toBe('A check-up costs £45.\nA filling costs £80.')
    expect(docs[2]!.body).toBe('# Parking guide\n\nPark behind the clinic.\n\n## Blue badge\n\nTwo bays by the door.')
    expect(docs[3]!.body).toBe('Cancellation policy\nCancel at least 24 hours ahead.\nLate cancellations cost (GBP) 20.')
    expect(docs.map((d) => d.source?.format)).toEqual(['md', 'txt', 'html', 'pdf'])
    expect(docs.every((d) => d.org === org)).toBe(true)
    // Drafts are not retrievable until published.
    const chunks = async (id: number) => Number((await (payload.db as any).pool.query('SELECT count(*) FROM kb_chunks WHERE article_id = $1', [id])).rows[0].count)
    expect(await chunks(docs[3]!.id)).toBe(0)
    const published = await upload(editor, [['again.md', '# Again\n\nText.']], { publish: 'true' })
    expect(published.body.results[0].status).toBe('published')
    expect(await chunks(published.body.results[0].id)).toBe(1)
  })

  it('refuses each bad file with a sentence and keeps the good ones', async () => {
    const before = await payload.count({ collection: 'kb-articles', where: { org: { equals: org } } })
    const res = await upload(editor, [
      ['photo.png', new Uint8Array([137, 80, 78, 71]), 'image/png'],
      ['broken.pdf', 'this is not a pdf', 'application/pdf'],
      ['scan.pdf', pdfOf([]), 'application/pdf'],
      ['latin1.txt', new Uint8Array([0x63, 0x61, 0x66, 0xe9]), 'text/plain'],
      ['empty.md', '   \n', 'text/markdown'],
      ['ok.md', '# Fine\n\nGood text.', 'text/markdown'],
    ])
    expect(res.status).toBe(200)
    const errors = res.body.results.map((r: { ok: boolean; error?: string }) => (r.ok ? 'ok' : r.error))
    expect(errors).toEqual([
      '"photo.png" is not a Markdown, text, HTML or PDF file (.md, .txt, .html, .pdf).',
      'The PDF could not be opened: it is not a readable PDF.',
      '"scan.pdf" has no text to read (a scanned PDF needs text recognition first).',
      'The file is not UTF-8 text: save it as UTF-8 and import it again.',
      '"empty.md" is empty.',
      'ok',
    ])
    expect(await payload.count({ collection: 'kb-articles', where: { org: { equals: org } } })).toEqual({ totalDocs: before.totalDocs + 1 })
    const none = await upload(editor, [['photo.png', 'x', 'image/png']])
    expect(none.status).toBe(400)
  })

  it('follows the role table and the org: a sender may not import, another org is not found, bad requests are 4xx', async () => {
    const refused = await upload(sender, [['a.md', '# A\n\nB']])
    expect(refused.status).toBe(403)
    expect(refused.body.errors[0].message).toMatch(/kb\.edit/)
    expect((await upload(stranger, [['a.md', '# A\n\nB']])).status).toBe(404)
    expect((await upload(editor, [])).status).toBe(400)
    expect((await upload(editor, [['a.md', '# A']], { org: 'nope' })).status).toBe(400)
    expect((await upload(editor, [['a.md', '# A']], { publish: 'maybe' })).status).toBe(400)
    const json = await editor.post('/kb-articles/import', { org, file: 'x' })
    expect(json.status).toBe(415)
    const many = await upload(editor, Array.from({ length: 21 }, (_, i) => [`f${i}.md`, '# x\n\ny'] as [string, string]))
    expect(many.status).toBe(400)
    expect(many.body.errors[0].message).toMatch(/At most 20 files/)
  })
})
