import { test } from 'tap'
import { noticeDataError, templateKeys } from '../../../sandbox/platform/notice-data-rules.js'
import { DEFAULT_SUBSCRIBE_TEMPLATE_ID, DEFAULT_TEMPLATE_ID } from '../../../sandbox/platform/template-registry.js'
import { APP_ID, startPlatform } from '../../fixtures/platform-fixture.js'
import { callApi, errcodeOf } from '../../fixtures/platform-calls.js'

const SEND = '/cgi-bin/message/template/send'
const BIZSEND = '/cgi-bin/message/subscribe/bizsend'
const FAN = 'oSandboxFan00000000000000001'
const data = { character_string1: { value: 'A1' }, thing2: { value: '杯' }, time3: { value: '10:00' } }

test('template/send: the msgid is a bare integer past 2^53; refusals by errcode', async (t) => {
  const platform = await startPlatform(t)
  const sent = await callApi(platform, SEND, { touser: FAN, template_id: DEFAULT_TEMPLATE_ID, data })
  t.match(sent.text, /^\{"errcode":0,"errmsg":"ok","msgid":\d{19}\}$/)
  const cases: Array<[unknown, number]> = [
    [{ touser: 'oNobody', template_id: DEFAULT_TEMPLATE_ID, data }, 40003],
    [{ touser: ['x'], template_id: DEFAULT_TEMPLATE_ID, data }, 40003],
    [{ touser: FAN, template_id: 'nope', data }, 40037],
    [{ touser: FAN, template_id: DEFAULT_TEMPLATE_ID }, 47003],
    [{ touser: FAN, template_id: DEFAULT_TEMPLATE_ID, data: [] }, 47003],
    [{ touser: FAN, template_id: DEFAULT_TEMPLATE_ID, data: { thing2: { value: '杯' } } }, 47003],
    [{ touser: FAN, template_id: DEFAULT_TEMPLATE_ID, data, miniprogram: { pagepath: 'p' } }, 40166],
    [{ touser: FAN, template_id: DEFAULT_TEMPLATE_ID, data, miniprogram: null }, 40166],
    [{ touser: FAN, template_id: DEFAULT_TEMPLATE_ID, data, miniprogram: { appid: 'wx1' } }, 40165]
  ]
  for (const [body, errcode] of cases) t.equal(await errcodeOf(platform, SEND, body), errcode, JSON.stringify(body).slice(0, 90))
  platform.state.followers.of(FAN).blacklisted = true
  t.equal(await errcodeOf(platform, SEND, { touser: FAN, template_id: DEFAULT_TEMPLATE_ID, data }), 43019, 'a blacklisted fan')
  t.equal(platform.state.templates.sent.length, 1)
  t.equal(platform.state.templates.sent[0]?.appId, APP_ID, 'the account that sent it')
})

test('bizsend checks data before the grant, so a refused notice does not use it up', async (t) => {
  const platform = await startPlatform(t)
  platform.state.templates.grantSubscription(FAN, DEFAULT_SUBSCRIBE_TEMPLATE_ID)
  t.equal(await errcodeOf(platform, BIZSEND, { touser: FAN, template_id: 'nope', data: {} }), 40037)
  t.equal(await errcodeOf(platform, BIZSEND, { touser: FAN, template_id: DEFAULT_SUBSCRIBE_TEMPLATE_ID, data: {} }), 47003)
  const good = { thing1: { value: '雨' }, phrase2: { value: '小雨' }, time3: { value: '08:00' } }
  t.equal(await errcodeOf(platform, BIZSEND, { touser: FAN, template_id: DEFAULT_SUBSCRIBE_TEMPLATE_ID, data: good }), 0)
  t.equal(platform.state.templates.subscribeSent[0]?.appId, APP_ID)
})

test('the value rules of each kind of key, and the keys of a template', async (t) => {
  t.same(templateKeys('编号：{{character_string1.DATA}}\n{{thing2.DATA}} {{ nope }}'), ['character_string1', 'thing2'])
  const limits: Array<[string, number]> = [['thing1', 20], ['number1', 32], ['letter1', 32], ['symbol1', 5], ['character_string1', 32],
    ['phrase1', 5], ['name1', 10], ['phone_number1', 17], ['car_number1', 8], ['amount1', 32], ['time1', 32], ['date1', 32], ['keyword1', 20]]
  for (const [key, max] of limits) {
    t.equal(noticeDataError({ [key]: { value: '字'.repeat(max) } }, [key]), undefined, `${key}: ${max} characters pass`)
    t.match(noticeDataError({ [key]: { value: '字'.repeat(max + 1) } }, [key]), { errcode: 47003, errmsg: `argument invalid! data.${key}.value invalid` }, `${key}: ${max + 1} fail`)
  }
  t.match(noticeDataError({ thing1: { value: '' } }, ['thing1']), { errmsg: 'argument invalid! data.thing1.value is empty' })
  t.match(noticeDataError({ thing1: 'bare' }, ['thing1']), { errcode: 47003 })
  t.match(noticeDataError(null, []), { errcode: 47003 })
  t.equal(noticeDataError({}, []), undefined)
})

test('private template list and deletion', async (t) => {
  const platform = await startPlatform(t)
  t.equal((await callApi(platform, '/cgi-bin/template/get_all_private_template')).json.template_list.length, 1)
  t.equal(await errcodeOf(platform, '/cgi-bin/template/del_private_template', { template_id: 'nope' }), 40037)
})
