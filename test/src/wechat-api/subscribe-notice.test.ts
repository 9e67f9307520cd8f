import { test } from 'tap'
import { DEFAULT_SUBSCRIBE_TEMPLATE_ID } from '../../../sandbox/platform/template-registry.js'
import { apiFor, startPlatform } from '../../fixtures/platform-fixture.js'
import { rejectionOf } from '../../fixtures/rejection-of.js'

const SEND = '/cgi-bin/message/subscribe/bizsend'
const XIAOMING = 'oSandboxFan00000000000000001'
const DATA = { thing1: '明天有雨，记得带伞', phrase2: '小雨', time3: '2024-05-01 08:00' }

test('a subscription notice uses one "allow"; without one WeChat answers 43101', async (t) => {
  const platform = await startPlatform(t)
  const { management } = apiFor(platform).api
  const notice = { touser: XIAOMING, templateId: DEFAULT_SUBSCRIBE_TEMPLATE_ID, page: 'https://example.com/weather', data: DATA }
  t.match(await rejectionOf(management.sendSubscribeNotice(notice)), { errcode: 43101, api: 'message/subscribe/bizsend' })
  platform.state.templates.grantSubscription(XIAOMING, DEFAULT_SUBSCRIBE_TEMPLATE_ID)
  await management.sendSubscribeNotice(notice)
  t.equal(platform.state.requests.last(SEND)?.body,
    `{"touser":"${XIAOMING}","template_id":"${DEFAULT_SUBSCRIBE_TEMPLATE_ID}","page":"https://example.com/weather",` +
    '"data":{"thing1":{"value":"明天有雨，记得带伞"},"phrase2":{"value":"小雨"},"time3":{"value":"2024-05-01 08:00"}}}')
  t.equal(platform.state.templates.subscribeSent.length, 1)
  t.match(await rejectionOf(management.sendSubscribeNotice(notice)), { errcode: 43101 }, 'the grant was used up')
})

test('a notice opening a mini program; values past their kind\'s length are 47003', async (t) => {
  const platform = await startPlatform(t)
  const { management } = apiFor(platform).api
  platform.state.templates.grantSubscription(XIAOMING, DEFAULT_SUBSCRIBE_TEMPLATE_ID)
  t.match(await rejectionOf(management.sendSubscribeNotice({ touser: XIAOMING, templateId: DEFAULT_SUBSCRIBE_TEMPLATE_ID, data: { ...DATA, phrase2: '六个字的短语' } })),
    { errcode: 47003, errmsg: /data\.phrase2\.value invalid/ })
  await management.sendSubscribeNotice({ touser: XIAOMING, templateId: DEFAULT_SUBSCRIBE_TEMPLATE_ID, miniprogram: { appid: 'wx286b93c14bbf93aa', pagepath: 'pages/index' }, data: DATA })
  t.match(platform.state.requests.last(SEND)?.body, /"miniprogram":\{"appid":"wx286b93c14bbf93aa","pagepath":"pages\/index"\},"data":/)
})
