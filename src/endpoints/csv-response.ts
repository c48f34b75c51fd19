/**
 * A CSV download streamed from a Node stream: UTF-8 with a byte order mark (so spreadsheets read
 * accents right; a stored file has its own), as an attachment named `fileName`, never cached.
 */
export const csvResponse = (stream: AsyncIterable<unknown>, fileName: string, { bom = true }: { bom?: boolean } = {}): Response => {
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      try {
        if (bom) controller.enqueue(new Uint8Array([0xef, 0xbb, 0xbf]))
        for await (const chunk of stream) controller.enqueue(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : new Uint8Array(chunk as Buffer))
        controller.close()
      } catch (error) {
        controller.error(error)
      }
    },
  })
  return new Response(body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${fileName.replace(/[^\w.-]+/g, '_')}"`,
      'Cache-Control': 'private, no-store',
    },
  })
}
