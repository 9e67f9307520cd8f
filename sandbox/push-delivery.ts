import type { SealedPush } from './push-envelope.js'

/** WeChat waits 5 s for a passive reply, then drops the connection and tries again. */
export const REPLY_DEADLINE_MS = 5000
/** "总共重试三次": up to three retries after the first delivery. */
export const MAX_RETRIES = 3

export interface Attempt {
  number: number
  /** The URL with this attempt's signature (each retry is signed afresh, same body and MsgId). */
  url: string
  durationMs: number
  result: 'answered' | 'timeout' | 'http-error' | 'network-error'
  status?: number
  error?: string
}

export interface Delivery {
  attempts: Attempt[]
  /** The first 200 answer, if any attempt got one in time. */
  answer?: { status: number, body: string, contentType: string }
  durationMs: number
}

export interface DeliveryOptions {
  serverUrl: string
  /** Called before every attempt: a fresh timestamp, nonce and signature over the same message. */
  seal: () => SealedPush
  timeoutMs?: number
  retries?: number
}

/**
 * Delivers one push as WeChat does: each attempt gets `timeoutMs` for the whole answer; a
 * late, failed or non-200 attempt is retried until the retries run out.
 */
export async function deliverPush (options: DeliveryOptions): Promise<Delivery> {
  const timeoutMs = options.timeoutMs ?? REPLY_DEADLINE_MS
  const retries = options.retries ?? MAX_RETRIES
  const started = performance.now()
  const attempts: Attempt[] = []
  for (let number = 1; number <= retries + 1; number++) {
    const sealed = options.seal()
    const url = `${options.serverUrl}${options.serverUrl.includes('?') ? '&' : '?'}${sealed.query}`
    const attemptStarted = performance.now()
    const elapsed = () => Math.round(performance.now() - attemptStarted)
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'text/xml; charset=utf-8', 'user-agent': 'Mozilla/4.0 (wemp-sandbox)' },
        body: sealed.body,
        signal: AbortSignal.timeout(timeoutMs)
      })
      // The deadline covers the body too: a server that sends headers then stalls is still late.
      const body = await response.text()
      const status = response.status
      if (status !== 200) {
        attempts.push({ number, url, durationMs: elapsed(), result: 'http-error', status, error: `HTTP ${status}: ${body.slice(0, 200)}` })
        continue
      }
      attempts.push({ number, url, durationMs: elapsed(), result: 'answered', status })
      const contentType = response.headers.get('content-type') ?? ''
      return { attempts, answer: { status, body, contentType }, durationMs: Math.round(performance.now() - started) }
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError'
      attempts.push({
        number, url, durationMs: elapsed(),
        result: timedOut ? 'timeout' : 'network-error',
        error: timedOut ? `${timeoutMs / 1000} 秒内没有回复` : describeNetworkError(error as Error)
      })
    }
  }
  return { attempts, durationMs: Math.round(performance.now() - started) }
}

/** fetch says only "fetch failed"; the cause (ECONNREFUSED, a parse error…) is what helps. */
function describeNetworkError (error: Error): string {
  return `${error.message}: ${String((error.cause as Error).message)}`
}
