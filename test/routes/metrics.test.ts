import type { FastifyInstance } from 'fastify'
import { test } from 'tap'
import { PUSHES, textPush } from '../fixtures/pushes.js'
import { build } from '../helpers/build.js'
import { sampleValue } from '../helpers/metrics-text.js'
import { signedUrl } from '../helpers/wechat-request.js'

const TOKEN = 'testtoken123'
const METRICS_TOKEN = 'scrape-token-0123456789abcdef'
const post = (app: FastifyInstance, url: string, payload: string) =>
  app.inject({ method: 'POST', url, headers: { 'content-type': 'text/xml' }, payload })

test('GET /metrics exposes the service counters and the handler histogram in Prometheus text', async (t) => {
  const app = await build(t)
  const push = textPush({ content: 'count me', msgId: '3000000000000001' })
  t.equal((await post(app, signedUrl({ token: TOKEN }), push)).statusCode, 200)
  t.equal((await post(app, signedUrl({ token: TOKEN }), push)).statusCode, 200, 'a retry')
  t.equal((await post(app, signedUrl({ token: TOKEN }), PUSHES.CLICK)).statusCode, 200)
  const forged = signedUrl({ token: 'not-the-token' })
  t.equal((await post(app, forged, push)).statusCode, 403, 'a bad signature')

  const res = await app.inject({ method: 'GET', url: '/metrics' })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/plain; version=0\.0\.4; charset=utf-8/)
  const text = res.body
  t.equal(sampleValue(text, 'wemp_messages_received_total{account="default",type="text"}'), 2, 'both deliveries received')
  t.equal(sampleValue(text, 'wemp_messages_received_total{account="default",type="CLICK"}'), 1, 'events by their Event')
  t.equal(sampleValue(text, 'wemp_messages_handled_total{account="default"}'), 2, 'the text once, the click once')
  t.equal(sampleValue(text, 'wemp_messages_duplicate_total{account="default"}'), 1)
  t.equal(sampleValue(text, 'wemp_signature_failures_total{account="default"}'), 1)
  t.equal(sampleValue(text, 'wemp_store_fallbacks_total'), 0)
  t.match(text, /^# TYPE wemp_handler_duration_seconds histogram$/m)
  t.equal(sampleValue(text, 'wemp_handler_duration_seconds_count{account="default"}'), 2)
  t.equal(sampleValue(text, 'wemp_handler_duration_seconds_bucket{le="4.5",account="default"}'), 2, 'the 4.5 s bucket (WeChat\'s deadline)')
  t.equal(sampleValue(text, 'wemp_handler_duration_seconds_bucket{le="+Inf",account="default"}'), 2)
  t.ok((sampleValue(text, 'wemp_handler_duration_seconds_sum{account="default"}') ?? -1) >= 0)
  for (const name of ['wemp_access_token_fetches_total', 'wemp_wechat_api_errors_total']) {
    t.match(text, new RegExp(`^# TYPE ${name} counter$`, 'm'), `${name} declared`)
  }
  t.match(text, /^wemp_process_cpu_user_seconds_total /m, 'default process metrics, prefixed')
})

test('a signature failure is counted before the body is read', async (t) => {
  const app = await build(t)
  const unsigned = await app.inject({ method: 'POST', url: '/wechat?timestamp=1&nonce=x', headers: { 'content-type': 'text/xml' }, payload: PUSHES.text })
  t.equal(unsigned.statusCode, 400)
  const wrong = await post(app, signedUrl({ token: 'wrong-token' }), PUSHES.text)
  t.equal(wrong.statusCode, 403)
  const text = (await app.inject({ method: 'GET', url: '/metrics' })).body
  t.equal(sampleValue(text, 'wemp_signature_failures_total{account="default"}'), 2)
  t.equal(sampleValue(text, 'wemp_messages_handled_total{account="default"}'), 0)
})

test('each app has its own registry', async (t) => {
  const a = await build(t)
  const b = await build(t)
  await post(a, signedUrl({ token: TOKEN }), PUSHES.text)
  t.equal(sampleValue((await b.inject({ method: 'GET', url: '/metrics' })).body, 'wemp_messages_handled_total{account="default"}'), 0)
})

test('with metricsToken set, scrapes need the exact bearer token', async (t) => {
  const logLines: string[] = []
  const app = await build(t, { config: { metricsToken: METRICS_TOKEN }, logLines })
  const scrape = (authorization?: string) =>
    app.inject({ method: 'GET', url: '/metrics', headers: authorization === undefined ? {} : { authorization } })

  const none = await scrape()
  t.equal(none.statusCode, 401)
  t.equal(none.headers['www-authenticate'], 'Bearer')
  t.equal(none.body, 'unauthorized')
  t.notMatch(none.body, /wemp_/, 'no metrics leak')
  for (const wrong of [
    'Bearer wrong',
    `Bearer ${METRICS_TOKEN.slice(0, -1)}x`,
    `Bearer ${METRICS_TOKEN} `,
    `bearer ${METRICS_TOKEN}`,
    `Basic ${METRICS_TOKEN}`,
    METRICS_TOKEN,
    ''
  ]) {
    const res = await scrape(wrong)
    t.equal(res.statusCode, 401, `refused: ${JSON.stringify(wrong.replace(METRICS_TOKEN, '<token>'))}`)
  }
  const ok = await scrape(`Bearer ${METRICS_TOKEN}`)
  t.equal(ok.statusCode, 200)
  t.match(ok.body, /wemp_messages_handled_total{account="default"} 0/)
  t.ok(logLines.some((line) => line.includes('metrics scrape without a valid bearer token')), 'refusals are logged')
  t.notOk(logLines.some((line) => line.includes(METRICS_TOKEN)), 'the token is never logged')
})
