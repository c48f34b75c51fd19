import busboy from 'busboy'

export type InboundPostFile = { field: string; filename: string; mimeType: string; data: Buffer }
/** A multipart post as bytes: each field's raw bytes (its charset is applied later), and the files. */
export type InboundPost = { fields: Map<string, Buffer>; files: InboundPostFile[] }

export class InboundPostError extends Error {}

/**
 * Reads a multipart/form-data post (SendGrid Inbound Parse) into its fields and files. Field values are
 * kept as the bytes sent (read as latin1, which maps bytes one to one), so the `charsets` SendGrid
 * names can be applied to them afterwards. Rejects a body that is not valid multipart.
 */
export const parseInboundPost = (body: Buffer, contentType: string, maxBytes: number): Promise<InboundPost> =>
  new Promise((resolve, reject) => {
    const fields = new Map<string, Buffer>()
    const files: InboundPostFile[] = []
    let parser: busboy.Busboy
    try {
      parser = busboy({
        headers: { 'content-type': contentType },
        defCharset: 'latin1',
        defParamCharset: 'utf8',
        limits: { fieldSize: maxBytes, fileSize: maxBytes, files: 200, fields: 200, parts: 400 },
      })
    } catch (error) {
      reject(new InboundPostError((error as Error).message))
      return
    }
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) return reject(new InboundPostError(`The field "${name.slice(0, 40)}" is too large.`))
      fields.set(name, Buffer.from(value, 'latin1'))
    })
    parser.on('file', (field, stream, info) => {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('limit', () => reject(new InboundPostError(`The attachment "${info.filename?.slice(0, 80)}" is too large.`)))
      stream.on('close', () => files.push({ field, filename: info.filename ?? field, mimeType: info.mimeType || 'application/octet-stream', data: Buffer.concat(chunks) }))
    })
    parser.on('error', (error: Error) => reject(new InboundPostError(error.message)))
    parser.on('close', () => {
      if (!fields.size && !files.length) reject(new InboundPostError('The post holds no fields.'))
      else resolve({ fields, files })
    })
    parser.end(body)
  })

/** The Message-ID in a header block (unfolded), if any. */
export const findMessageID = (headers: string): null | string => {
  const match = /^message-id:[ \t]*(?:\r?\n[ \t]+)?(<[^<>\s]{1,900}>)/im.exec(headers)
  return match ? match[1]! : null
}
