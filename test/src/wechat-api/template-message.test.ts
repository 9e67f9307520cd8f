import { test } from 'tap'
import { DEFAULT_TEMPLATE_ID } from '../../../sandbox/platform/template-registry.js'
import { apiFor, startPlatform } from '../../fixtures/platform-fixture.js'
import { rejectionOf } from '../../fixtures/rejection-of.js'

const SEND = '/cgi-bin/message/template/send'
const XIAOMING = 'oSandboxFan00000000000000001'
const DATA = { character_string1: '20240501123', thing2: '保温杯', time3: '2024年5月1日 10:00' }

test('a template message with a url: WeChat\'s body, and the 64-bit msgid kept exactly', async (t) => {
  const platform = await startPlatform(t)
  const { templates } = apiFor(platform).api.management
  const msgid = await templates.send({ touser: XIAOMING, templateId: DEFAULT_TEMPLATE_ID, url: 'https://example.com/order/1', data: DATA })
  t.equal(platform.state.requests.last(SEND)?.body,
    `{"touser":"${XIAOMING}","template_id":"${DEFAULT_TEMPLATE_ID}","url":"https://example.com/order/1","data":` +
    '{"character_string1":{"value":"20240501123"},"thing2":{"value":"保温杯"},"time3":{"value":"2024年5月1日 10:00"}}}')
  t.equal(msgid, platform.state.templates.sent[0]?.msgid)
  t.ok(BigInt(msgid) > BigInt(Number.MAX_SAFE_INTEGER), 'past 2^53 and still exact')
})

test('with a mini program and a client_msg_id', async (t) => {
  const platform = await startPlatform(t)
  const { templates } = apiFor(platform).api.management
  await templates.send({ touser: XIAOMING, templateId: DEFAULT_TEMPLATE_ID, miniprogram: { appid: 'wx286b93c14bbf93aa', pagepath: 'pages/order?id=1' }, clientMsgId: 'order-1', data: DATA })
  t.match(platform.state.requests.last(SEND)?.body, /"miniprogram":\{"appid":"wx286b93c14bbf93aa","pagepath":"pages\/order\?id=1"\},"client_msg_id":"order-1","data":/)
})

test('refusals come back typed: 40037 unknown template, 47003 a value too long, 40003 not a follower', async (t) => {
  const platform = await startPlatform(t)
  const { templates } = apiFor(platform).api.management
  t.match(await rejectionOf(templates.send({ touser: XIAOMING, templateId: 'nope', data: DATA })), { errcode: 40037, api: 'message/template/send' })
  t.match(await rejectionOf(templates.send({ touser: XIAOMING, templateId: DEFAULT_TEMPLATE_ID, data: { ...DATA, thing2: '一'.repeat(21) } })),
    { errcode: 47003, errmsg: /data\.thing2\.value invalid/ })
  t.match(await rejectionOf(templates.send({ touser: 'oNobody', templateId: DEFAULT_TEMPLATE_ID, data: DATA })), { errcode: 40003 })
  t.equal(platform.state.templates.sent.length, 0)
  t.equal(platform.state.callCount(SEND), 3, 'each refused once, none retried')
})

test('private templates: listed, deleted', async (t) => {
  const platform = await startPlatform(t)
  const { templates } = apiFor(platform).api.management
  t.match(await templates.listPrivate(), [{ template_id: DEFAULT_TEMPLATE_ID, title: '订单发货通知', content: /\{\{thing2\.DATA\}\}/ }])
  await templates.deletePrivate(DEFAULT_TEMPLATE_ID)
  t.equal(platform.state.requests.last('/cgi-bin/template/del_private_template')?.body, `{"template_id":"${DEFAULT_TEMPLATE_ID}"}`)
  t.same(await templates.listPrivate(), [])
  t.match(await rejectionOf(templates.deletePrivate(DEFAULT_TEMPLATE_ID)), { errcode: 40037 })
})

test('an answer without a msgid is a bad response', async (t) => {
  const platform = await startPlatform(t)
  const { templates } = apiFor(platform).api.management
  platform.state.failNext(SEND, { body: '{"errcode":0,"errmsg":"ok"}' })
  t.match(await rejectionOf(templates.send({ touser: XIAOMING, templateId: DEFAULT_TEMPLATE_ID, data: DATA })), { kind: 'bad-response', message: /\/msgid/ })
})
