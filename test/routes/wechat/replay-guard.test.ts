import type { FastifyInstance } from 'fastify'
import { test } from 'tap'
import { textPush } from '../../fixtures/pushes.js'
import { build } from '../../helpers/build.js'
import { sampleValue } from '../../helpers/metrics-text.js'
import { signedUrl } from '../../helpers/wechat-request.js'

const TOKEN = 'testtoken123'
const post = (app: FastifyInstance, url: string, payload: string) =>
  app.inject({ method: 'POST', url, headers: { 'content-type': 'text/xml' }, payload })
const metric = async (app: FastifyInstance, sample: string) =>
  sampleValue((await app.inject({ method: 'GET', url: '/metrics' })).body, sample)

test('a captured signed URL reused with another body is refused 403 (B 14)', async (t) => {
  const logLines: string[] = []
  const app = await build(t, { logLines })
  const url = signedUrl({ token: TOKEN })
  const original = textPush({ from: 'oFanAAAAAAAAAAAAAAAAAAAAAAA', content: 'mine', msgId: '1000000000000001' })
  const first = await post(app, url, original)
  t.equal(first.statusCode, 200)
  t.match(first.body, /mine/)

  const otherFan = await post(app, url, textPush({ from: 'oFanBBBBBBBBBBBBBBBBBBBBBBB', content: 'mine', msgId: '1000000000000001' }))
  t.equal(otherFan.statusCode, 403, 'another FromUserName')
  t.equal(otherFan.body, 'signature reused with another body')
  const otherContent = await post(app, url, textPush({ from: 'oFanAAAAAAAAAAAAAAAAAAAAAAA', content: 'transfer all', msgId: '1000000000000002' }))
  t.equal(otherContent.statusCode, 403, 'another Content and MsgId')

  t.equal(await metric(app, 'wemp_signature_failures_total{account="default"}'), 2, 'counted as signature failures')
  t.equal(await metric(app, 'wemp_messages_handled_total{account="default"}'), 1, 'the swapped bodies never reached the handler')
  t.equal(await metric(app, 'wemp_messages_received_total{account="default",type="text"}'), 1)
  t.ok(logLines.some((line) => line.includes('"push refused"') && line.includes('signature reused with another body') && line.includes('"status":403')),
    'a security log line')
  t.notOk(logLines.some((line) => line.includes('transfer all')), 'the body is not logged')
})

test('the same signed URL with an identical body is WeChat\'s retry: deduplicated and answered (B 14)', async (t) => {
  let runs = 0
  const app = await build(t, { handlers: { text: (m) => { runs++; return { type: 'text', content: `#${runs} ${m.Content}` } } } })
  const url = signedUrl({ token: TOKEN })
  const push = textPush({ content: 'again', msgId: '1000000000000003' })
  const first = await post(app, url, push)
  const retry = await post(app, url, push)
  t.same([first.statusCode, retry.statusCode], [200, 200])
  t.match(first.body, /#1 again/)
  t.equal(retry.body, first.body, 'the cached reply')
  t.equal(runs, 1)
  t.equal(await metric(app, 'wemp_messages_duplicate_total{account="default"}'), 1)
  t.equal(await metric(app, 'wemp_signature_failures_total{account="default"}'), 0)
})

test('the swap guard is keyed by signature: another signed URL may carry another body', async (t) => {
  const app = await build(t)
  t.equal((await post(app, signedUrl({ token: TOKEN }), textPush({ content: 'one', msgId: '1000000000000004' }))).statusCode, 200)
  t.equal((await post(app, signedUrl({ token: TOKEN }), textPush({ content: 'two', msgId: '1000000000000005' }))).statusCode, 200)
})
