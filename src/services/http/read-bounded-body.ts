/**
 * A request body's bytes, at most `max`: null when it declares or streams more (the caller answers 413),
 * without reading further than `max` + one chunk.
 */
export const readBoundedBody = async (request: { body: ReadableStream<Uint8Array> | null; headers: Headers }, max: number): Promise<Buffer | null> => {
  if (Number(request.headers.get('content-length') ?? 0) > max) return null
  if (!request.body) return Buffer.alloc(0)
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > max) {
      await reader.cancel().catch(() => {})
      return null
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks)
}
