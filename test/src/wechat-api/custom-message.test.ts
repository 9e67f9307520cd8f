import { test } from 'tap'
import { isPermanentSendError } from '../../../src/wechat-api/custom-message.js'
import { WeChatApiError } from '../../../src/wechat-api/wechat-api-error.js'
import { apiFor, startPlatform } from '../../fixtures/platform-fixture.js'

const XIAOMING = 'oSandboxFan00000000000000001'
const CHENJING = 'oSandboxFan00000000000000003'

test('a custom text message reaches the platform in WeChat\'s shape', async (t) => {
  const platform = await startPlatform(t)
  const { api } = apiFor(platform)
  await api.sendCustomText(XIAOMING, '你好，欢迎关注 <b>&</b>')
  t.match(platform.state.messages, [{ touser: XIAOMING, msgtype: 'text', content: '你好，欢迎关注 <b>&</b>' }])
  t.same(platform.state.messages[0]?.body, { touser: XIAOMING, msgtype: 'text', text: { content: '你好，欢迎关注 <b>&</b>' } })
})

test('outside the 48-hour window: 45015, a permanent error', async (t) => {
  const platform = await startPlatform(t)
  const { api } = apiFor(platform)
  const error = await api.sendCustomText(CHENJING, 'hi').catch((e: unknown) => e)
  t.match(error, { kind: 'api', errcode: 45015 })
  t.ok(isPermanentSendError(error))
  t.equal(platform.state.messages.length, 0)
})

test('45047 (quota) is permanent; -1, timeouts and plain errors are not', async (t) => {
  const platform = await startPlatform(t)
  const { api } = apiFor(platform, { timeoutMs: 200 })
  platform.state.failNext('/cgi-bin/message/custom/send', { errcode: 45047, errmsg: 'out of response count limit' })
  t.ok(isPermanentSendError(await api.sendCustomText(XIAOMING, 'hi').catch((e: unknown) => e)))
  platform.state.failNext('/cgi-bin/message/custom/send', { errcode: -1, errmsg: 'system error' })
  t.notOk(isPermanentSendError(await api.sendCustomText(XIAOMING, 'hi').catch((e: unknown) => e)))
  platform.state.failNext('/cgi-bin/message/custom/send', { delayMs: 30_000 })
  const timeout = await api.sendCustomText(XIAOMING, 'hi').catch((e: unknown) => e)
  t.match(timeout, { kind: 'timeout' })
  t.notOk(isPermanentSendError(timeout))
  t.notOk(isPermanentSendError(new Error('45015')))
  t.notOk(isPermanentSendError(new WeChatApiError({ kind: 'http', path: '/x', status: 500 })))
})
