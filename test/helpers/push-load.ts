import { Agent, request } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'
import { textPush } from '../fixtures/pushes.js'
import { signedUrl } from './wechat-request.js'

/** One signed push as WeChat sends it, and what came back. */
export interface PushAnswer {
  status: number
  body: string
  ms: number
}

/** What a load run saw of one push. `error` is a transport failure (no HTTP answer at all). */
export interface LoadResult extends PushAnswer {
  target: string
  /** Milliseconds after the load started. */
  sentAt: number
  content: string
  error?: string
}

// FIFO hands out every pooled connection in turn, so none sits idle long enough to meet the
// server's keep-alive close (5 s) just as a push is written on it ("socket hang up"), which a
// LIFO pool does with the connections at its bottom.
const agent = new Agent({ keepAlive: true, maxSockets: 32, scheduling: 'fifo' })

/** POSTs one text push, signed for `token` with a fresh nonce, over a keep-alive connection. */
export async function postPush (baseUrl: string, token: string, body: string): Promise<PushAnswer> {
  const { hostname, port } = new URL(baseUrl)
  const started = performance.now()
  return await new Promise((resolve, reject) => {
    const req = request({
      agent, hostname, port, method: 'POST', path: signedUrl({ token }),
      headers: { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(body) }
    }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => { text += chunk })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, ms: performance.now() - started }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** A MsgId no other push of this process has: WeChat's are 64-bit integers. */
let msgCounter = 0
export function uniqueMsgId (): string {
  return `${Date.now()}${String(++msgCounter % 1_000_000).padStart(6, '0')}`
}

export interface SteadyLoadOptions {
  targets: string[]
  token: string
  perSecond: number
  durationMs: number
  /** Called for each push as it is answered (or fails). */
  onResult: (result: LoadResult) => void
}

/**
 * Pushes at a steady rate, round-robin over the targets, each a new text (unique MsgId) from one of
 * 50 fans. Sends on schedule whether or not earlier pushes were answered, as WeChat does; resolves
 * once every push has its answer.
 */
export async function steadyLoad ({ targets, token, perSecond, durationMs, onResult }: SteadyLoadOptions): Promise<void> {
  let inFlight = 0
  let allSent = false
  let done = (): void => {}
  const finished = new Promise<void>((resolve) => { done = resolve })
  const settle = (result: LoadResult): void => {
    onResult(result)
    if (--inFlight === 0 && allSent) done()
  }
  const start = performance.now()
  const total = Math.round(perSecond * durationMs / 1000)
  for (let i = 0; i < total; i++) {
    const wait = start + i * 1000 / perSecond - performance.now()
    if (wait > 1) await sleep(wait)
    const target = targets[i % targets.length] as string
    const content = `load ${i}`
    const from = `oLoadFan${String(i % 50).padStart(19, '0')}`
    const sentAt = performance.now() - start
    inFlight++
    postPush(target, token, textPush({ content, from, msgId: uniqueMsgId() })).then(
      (answer) => { settle({ target, sentAt, content, ...answer }) },
      (error: Error) => { settle({ target, sentAt, content, status: 0, body: '', ms: performance.now() - start - sentAt, error: error.message }) }
    )
  }
  allSent = true
  if (inFlight === 0) done()
  await finished
}
