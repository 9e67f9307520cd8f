import { test } from 'tap'
import { deliverLateReply, deliverLateTexts, UNAUTHORIZED_ERRCODE } from '../../../src/inbound/late-reply.js'
import { reply } from '../../../src/protocol/reply.js'
import { APP_ID, apiFor, startPlatform } from '../../fixtures/platform-fixture.js'

const FAN = 'oSandboxFan00000000000000001'
const OUTSIDE_WINDOW_FAN = 'oSandboxFan00000000000000003'
const SEND_PATH = '/cgi-bin/message/custom/send'

function recordingLog () {
  const lines: Array<{ level: string, obj: Record<string, unknown>, msg?: string }> = []
  const at = (level: string) => (obj: object, msg?: string) => { lines.push({ level, obj: obj as Record<string, unknown>, ...(msg === undefined ? {} : { msg }) }) }
  return { lines, info: at('info'), warn: at('warn'), error: at('error') }
}

test('a late text reply reaches the fan as a customer-service message', async (t) => {
  const platform = await startPlatform(t)
  const { api } = apiFor(platform)
  const log = recordingLog()
  t.equal(await deliverLateReply(FAN, reply.text('北京 明天：晴'), { send: api.sendCustomText, log }), true)
  t.same(platform.state.messages.map((m) => [m.touser, m.content]), [[FAN, '北京 明天：晴']])
  t.equal(log.lines.at(-1)?.msg, 'late reply delivered as a customer-service message')
})

test('a transient failure is retried, boundedly', async (t) => {
  const platform = await startPlatform(t)
  const { api } = apiFor(platform)
  platform.state.failNext(SEND_PATH, { errcode: -1, errmsg: 'system error' })
  const log = recordingLog()
  t.equal(await deliverLateReply(FAN, reply.text('再试一次'), { send: api.sendCustomText, log, backoffMs: 10 }), true)
  t.equal(platform.state.callCount(SEND_PATH), 2)
  t.equal(platform.state.messages.length, 1)

  for (let i = 0; i < 3; i++) platform.state.failNext(SEND_PATH, { errcode: -1, errmsg: 'system error' })
  t.equal(await deliverLateReply(FAN, reply.text('放弃'), { send: api.sendCustomText, log, backoffMs: 10, attempts: 3 }), false)
  t.equal(platform.state.callCount(SEND_PATH), 5, 'three more attempts, then it gives up')
  t.match(log.lines.at(-1), { level: 'warn', obj: { attempt: 3, permanent: false } })
})

test('outside the 48-hour window (45015) it stops at once', async (t) => {
  const platform = await startPlatform(t)
  const { api } = apiFor(platform)
  const log = recordingLog()
  t.equal(await deliverLateReply(OUTSIDE_WINDOW_FAN, reply.text('太晚了'), { send: api.sendCustomText, log, backoffMs: 10 }), false)
  t.equal(platform.state.callCount(SEND_PATH), 1, 'not retried')
  t.match(log.lines.at(-1), { level: 'warn', obj: { code: 45015, permanent: true } })
})

test('no reply, or a reply that is not text, sends nothing', async (t) => {
  const platform = await startPlatform(t)
  const { api } = apiFor(platform)
  const log = recordingLog()
  t.equal(await deliverLateReply(FAN, undefined, { send: api.sendCustomText, log }), false)
  t.equal(await deliverLateReply(FAN, reply.image('MEDIA'), { send: api.sendCustomText, log }), false)
  t.equal(platform.state.callCount(SEND_PATH), 0)
  t.match(log.lines.at(-1), { level: 'warn', obj: { replyType: 'image' } })
})

test('several texts go out in order, one message each', async (t) => {
  const platform = await startPlatform(t)
  const { api } = apiFor(platform)
  const result = await deliverLateTexts(FAN, ['第一段', '第二段', '第三段'], { send: api.sendCustomText, log: recordingLog() })
  t.same(result, { delivered: 3 })
  t.same(platform.state.messages.map((m) => m.content), ['第一段', '第二段', '第三段'])
  t.same(await deliverLateTexts(FAN, [], { send: api.sendCustomText, log: recordingLog() }), { delivered: 0 })
})

test('the first text that cannot be sent stops the rest, with its errcode', async (t) => {
  const platform = await startPlatform(t)
  const { api } = apiFor(platform)
  platform.state.withoutCustomerService.add(APP_ID)
  const log = recordingLog()
  t.same(await deliverLateTexts(FAN, ['a', 'b'], { send: api.sendCustomText, log, backoffMs: 10 }), { delivered: 0, code: UNAUTHORIZED_ERRCODE, permanent: true })
  t.equal(platform.state.callCount(SEND_PATH), 1, '48001 is not retried')
  t.match(log.lines.at(-1), { level: 'warn', obj: { code: 48001, permanent: true } })
  platform.state.withoutCustomerService.delete(APP_ID)

  t.same(await deliverLateTexts(FAN, ['sent', ''], { send: api.sendCustomText, log, attempts: 1 }), { delivered: 1, code: 44004, permanent: false })
  t.same(platform.state.messages.map((m) => m.content), ['sent'])
})

test('a failure without an errcode (the network) stops them too', async (t) => {
  const platform = await startPlatform(t)
  const { api } = apiFor(platform, { apiBase: 'http://127.0.0.1:9' })
  const log = recordingLog()
  t.same(await deliverLateTexts(FAN, ['a'], { send: api.sendCustomText, log, attempts: 1 }), { delivered: 0, permanent: false })
  t.match(log.lines.at(-1), { level: 'warn', obj: { code: 'network', permanent: false } })
})
