/** POSTs JSON to our API as the logged-in user; the answer's body, or an Error with the API's sentence. */
export const postJSON = async <T>(url: string, body: unknown, signal?: AbortSignal): Promise<T> => {
  const res = await fetch(url, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    signal,
  })
  const answer = await res.json().catch(() => null)
  if (!res.ok) throw new Error(answer?.errors?.[0]?.message ?? `The request failed (${res.status}).`)
  return answer as T
}
