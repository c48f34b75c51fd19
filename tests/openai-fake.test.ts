import OpenAI, { AzureOpenAI } from 'openai'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'

import { type OpenAIFake, startOpenAIFake } from './fakes/openai-fake'

const cosine = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let dot = 0
  let na = 0
  let nb = 0
  for (let i = 0; i < a.length; i += 1) {
    dot += a[i] * b[i]
    na += a[i] * a[i]
    nb += b[i] * b[i]
  }
  return dot / Math.sqrt(na * nb)
}

describe('the OpenAI fake, driven by the real openai client', () => {
  let fake: OpenAIFake
  let client: OpenAI
  beforeAll(async () => {
    fake = await startOpenAIFake()
    client = new OpenAI({ apiKey: 'test-key', baseURL: `${fake.url}/v1`, maxRetries: 0 })
  })
  afterEach(() => {
    fake.reply(() => 'Fake answer [1].')
    fake.streaming({})
  })
  afterAll(async () => {
    await fake.close()
  })

  it('answers a chat completion with content, usage and the model, and records max_tokens', async () => {
    fake.reply((body) => `You said: ${body.messages.at(-1).content}`)
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hello there' }],
      max_tokens: 100,
    })
    expect(completion.choices[0].message.content).toBe('You said: hello there')
    expect(completion.choices[0].finish_reason).toBe('stop')
    expect(completion.model).toBe('gpt-4o-mini')
    expect(completion.usage).toEqual({ prompt_tokens: Math.ceil('Be brief.hello there'.length / 4), completion_tokens: 6, total_tokens: 6 + 5 })
    const [request] = fake.chatRequests().slice(-1)
    expect(request.body.max_tokens).toBe(100)
    expect(request.headers.authorization).toBe('Bearer test-key')

    const short = await client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'x' }], max_completion_tokens: 2 })
    expect(short.choices[0].finish_reason).toBe('length')
    expect(short.choices[0].message.content).toBe('You said')
  })

  it('streams the reply as deltas that concatenate to it, with a usage chunk when asked', async () => {
    const text = 'The quick brown fox jumps over the lazy dog.'
    fake.reply(() => text)
    const stream = await client.chat.completions.create({
      model: 'gpt-test',
      messages: [{ role: 'user', content: 'tell me' }],
      stream: true,
      stream_options: { include_usage: true },
    })
    let received = ''
    const finishReasons: string[] = []
    let usage: OpenAI.CompletionUsage | null | undefined
    let chunks = 0
    for await (const chunk of stream) {
      chunks += 1
      received += chunk.choices[0]?.delta.content ?? ''
      if (chunk.choices[0]?.finish_reason) finishReasons.push(chunk.choices[0].finish_reason)
      if (chunk.usage) usage = chunk.usage
    }
    expect(received).toBe(text)
    expect(chunks).toBeGreaterThan(5)
    expect(finishReasons).toEqual(['stop'])
    expect(usage).toEqual({ prompt_tokens: 2, completion_tokens: 11, total_tokens: 13 })
  })

  it('cuts a stream after abortAfterChunks: the client throws after some text arrived', async () => {
    fake.reply(() => 'one two three four five six seven eight')
    fake.streaming({ chunkDelayMs: 2, abortAfterChunks: 3 })
    const stream = await client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'count' }], stream: true })
    let received = ''
    const iterate = async () => {
      for await (const chunk of stream) received += chunk.choices[0]?.delta.content ?? ''
    }
    await expect(iterate()).rejects.toThrow()
    expect(received).toBe('one two three ')
  })

  it('embeds deterministically in 64 dimensions, similar texts closer than dissimilar ones', async () => {
    const response = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input: ['How do I reset my password?', 'how can I reset the password', 'Quarterly revenue grew in Europe'],
    })
    const [a, b, c] = response.data.map((item) => item.embedding)
    expect(a).toHaveLength(64)
    expect(cosine(a, b)).toBeGreaterThan(cosine(a, c))
    expect(cosine(a, b)).toBeGreaterThan(0.5)
    // The client asks for base64 by default and decodes it; the explicit float format agrees.
    expect(fake.requests.at(-1)?.body.encoding_format).toBe('base64')
    const floats = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'How do I reset my password?', encoding_format: 'float' })
    expect(floats.data[0].embedding).toHaveLength(64)
    floats.data[0].embedding.forEach((value, index) => expect(value).toBeCloseTo(a[index], 6))
  })

  it('flags moderation inputs containing a flag word', async () => {
    const response = await client.moderations.create({ model: 'omni-moderation-latest', input: ['Have a nice day', 'We should KILL THEM ALL'] })
    expect(response.results.map((result) => result.flagged)).toEqual([false, true])
    expect(response.results[1].categories.violence).toBe(true)
    fake.flagWords(['spam'])
    const again = await client.moderations.create({ input: 'buy spam now' })
    expect(again.results[0].flagged).toBe(true)
    fake.flagWords(['kill them all'])
  })

  it('surfaces failNext(429) as a RateLimitError with Retry-After, then recovers', async () => {
    fake.failNext(429, { retryAfter: 7 })
    const error = await client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(OpenAI.RateLimitError)
    const rateLimit = error as InstanceType<typeof OpenAI.RateLimitError>
    expect(rateLimit.status).toBe(429)
    expect(rateLimit.headers.get('retry-after')).toBe('7')
    expect(rateLimit.code).toBe('rate_limit_exceeded')
    fake.failNext(503, { times: 2 })
    await expect(client.embeddings.create({ model: 'e', input: 'x' })).rejects.toBeInstanceOf(OpenAI.InternalServerError)
    await expect(client.moderations.create({ input: 'x' })).rejects.toBeInstanceOf(OpenAI.InternalServerError)
    const ok = await client.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }] })
    expect(ok.choices[0].message.content).toBe('Fake answer [1].')
  })

  it('answers 401 without a key, 404 on an unknown route, and lists models', async () => {
    const unauthorized = await fetch(`${fake.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    expect(unauthorized.status).toBe(401)
    expect(await unauthorized.json()).toMatchObject({ error: { code: 'invalid_api_key', type: 'invalid_request_error' } })
    const unknown = await fetch(`${fake.url}/v1/nothing`, { headers: { authorization: 'Bearer k' } })
    expect(unknown.status).toBe(404)
    expect((await unknown.json()).error.message).toMatch(/nothing/)
    const models = await client.models.list()
    expect(models.data.map((model) => model.id)).toEqual(['gpt-test'])
  })

  it('serves AzureOpenAI on the deployment path, recording the deployment and api-version', async () => {
    const azure = new AzureOpenAI({ apiKey: 'azure-key', endpoint: fake.url, apiVersion: '2024-10-21', deployment: 'gpt-test', maxRetries: 0 })
    const completion = await azure.chat.completions.create({ model: 'ignored', messages: [{ role: 'user', content: 'hi' }] })
    expect(completion.choices[0].message.content).toBe('Fake answer [1].')
    const request = fake.chatRequests().at(-1)!
    expect(request.path).toBe('/openai/deployments/gpt-test/chat/completions')
    expect(request.deployment).toBe('gpt-test')
    expect(request.query.get('api-version')).toBe('2024-10-21')
    expect(request.headers['api-key']).toBe('azure-key')
  })
})
