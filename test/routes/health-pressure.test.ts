import { setTimeout as sleep } from 'node:timers/promises'
import { getHeapStatistics } from 'node:v8'
import type { FastifyInstance } from 'fastify'
import { test } from 'tap'
import { heapThresholdBytes } from '../../routes/health.js'
import { textPush } from '../fixtures/pushes.js'
import { build } from '../helpers/build.js'
import { signedUrl } from '../helpers/wechat-request.js'

/** Keeps this process's event loop busy for `ms`, yielding every `chunkMs`: what a saturated instance looks like. */
async function saturate (ms: number, chunkMs: number): Promise<void> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    const chunkEnd = Date.now() + chunkMs
    while (Date.now() < chunkEnd) { /* busy */ }
    await new Promise((resolve) => setImmediate(resolve))
  }
}

async function readyzUntil (app: FastifyInstance, status: number, withinMs: number): Promise<{ status: number, body: unknown, retryAfter: unknown }> {
  const deadline = Date.now() + withinMs
  for (;;) {
    const res = await app.inject({ method: 'GET', url: '/readyz' })
    if (res.statusCode === status || Date.now() > deadline) return { status: res.statusCode, body: res.json(), retryAfter: res.headers['retry-after'] }
    await sleep(50)
  }
}

test('a saturated event loop: /readyz 503 while pushes, pages and /healthz are still served; 200 again after', async (t) => {
  const logLines: string[] = []
  const app = await build(t, { config: { readyMaxEventLoopDelayMs: 40 }, logLines })
  t.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200, 'ready while idle')

  const busy = saturate(3500, 100)
  const underPressure = await readyzUntil(app, 503, 3000)
  t.same(underPressure, { status: 503, body: { status: 'under pressure', reason: 'eventLoopDelay' }, retryAfter: '10' })
  const push = await app.inject({ method: 'POST', url: signedUrl({ token: 'testtoken123' }), headers: { 'content-type': 'text/xml' }, payload: textPush({ content: 'busy' }) })
  t.equal(push.statusCode, 200, 'the push is answered')
  t.match(push.body, /busy/)
  t.equal((await app.inject({ method: 'GET', url: '/oauth/login' })).statusCode, 302, 'a page is served')
  t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200, 'liveness stays 200: the instance is busy, not dead')
  await busy

  const after = await readyzUntil(app, 200, 4000)
  t.same(after.body, { status: 'ready' }, 'ready again once the loop is free')
  t.ok(logLines.some((line) => line.includes('not ready: under pressure') && line.includes('"reason":"eventLoopDelay"')), 'the 503 is logged with its reason')
})

test('a heap above its share of the limit: /readyz 503; the same heap under a higher share is ready', async (t) => {
  const threshold = heapThresholdBytes(1)
  // Ballast until this process holds more than 1% of its heap limit, whatever the test runner already uses.
  const ballast: unknown[][] = []
  while (process.memoryUsage().heapUsed <= threshold * 1.2) ballast.push(new Array(100_000).fill({}))
  t.teardown(() => { ballast.length = 0 })

  const tight = await build(t, { config: { readyMaxHeapPercent: 1, readyMaxEventLoopDelayMs: 0 } })
  const full = await readyzUntil(tight, 503, 3000)
  t.same({ status: full.status, body: full.body }, { status: 503, body: { status: 'under pressure', reason: 'heapUsedBytes' } })
  t.equal((await tight.inject({ method: 'GET', url: '/healthz' })).statusCode, 200)

  const roomy = await build(t, { config: { readyMaxHeapPercent: 100, readyMaxEventLoopDelayMs: 0 } })
  // under-pressure samples once a second: after two samples the verdict is the threshold's.
  await sleep(2100)
  t.equal((await roomy.inject({ method: 'GET', url: '/readyz' })).statusCode, 200)
})

test('the heap threshold is a share of V8\'s heap limit; 0 is off', async (t) => {
  t.ok(heapThresholdBytes(90) > heapThresholdBytes(50))
  t.equal(heapThresholdBytes(0), 0)
  t.equal(heapThresholdBytes(100), Math.floor(getHeapStatistics().heap_size_limit))
})
