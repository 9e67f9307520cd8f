import { test } from 'tap'
import { EXIT } from '../../cli/program.js'
import { noticeData } from '../../cli/template-commands.js'
import { DEFAULT_TEMPLATE_ID } from '../../sandbox/platform/template-registry.js'
import { cliAgainstPlatform, FAN } from './cli-fixture.js'

const SEND = '/cgi-bin/message/template/send'

test('template send: the values as key=value, the msgid (past 2^53) printed exactly', async (t) => {
  const { platform, wemp } = await cliAgainstPlatform(t)
  const run = await wemp(['template', 'send', '--to', FAN, '--template', DEFAULT_TEMPLATE_ID, '--url', 'https://example.com/order/1',
    'character_string1=20240501123', 'thing2=保温杯', 'time3=2024年5月1日 10:00'])
  t.equal(run.code, EXIT.ok, run.err)
  const [sent] = platform.state.templates.sent
  t.equal(run.out, `template message sent to ${FAN} (template ${DEFAULT_TEMPLATE_ID}): msgid ${sent?.msgid ?? ''}\nTEMPLATESENDJOBFINISH with this msgid reports whether it reached the fan\n`)
  t.same(JSON.parse(platform.state.requests.last(SEND)?.body ?? '{}'), {
    touser: FAN, template_id: DEFAULT_TEMPLATE_ID, url: 'https://example.com/order/1',
    data: { character_string1: { value: '20240501123' }, thing2: { value: '保温杯' }, time3: { value: '2024年5月1日 10:00' } }
  })
  const json = await wemp(['--json', 'template', 'send', '--to', FAN, '--template', DEFAULT_TEMPLATE_ID, 'character_string1=1', 'thing2=杯', 'time3=今天'])
  t.same(json.json(), { msgid: platform.state.templates.sent[1]?.msgid, touser: FAN, templateId: DEFAULT_TEMPLATE_ID, data: { character_string1: '1', thing2: '杯', time3: '今天' }, url: null })
})

test('template send: WeChat\'s refusals with their meaning; malformed data is 64', async (t) => {
  const { wemp } = await cliAgainstPlatform(t)
  const unknown = await wemp(['template', 'send', '--to', FAN, '--template', 'nope', 'a=b'])
  t.same([unknown.code, unknown.err], [EXIT.refused, 'wemp: WeChat refused message/template/send: errcode 40037 (invalid template_id): the template_id is not one of this account\'s templates (`wemp template list` shows them)\n'])
  const stranger = await wemp(['template', 'send', '--to', 'oStranger', '--template', DEFAULT_TEMPLATE_ID])
  t.match(stranger.err, /errcode 40003 \(invalid openid\): the openid is not a follower of this account/)
  const pair = await wemp(['template', 'send', '--to', FAN, '--template', DEFAULT_TEMPLATE_ID, 'thing2'])
  t.same([pair.code, pair.err], [EXIT.usage, 'wemp: template data is key=value, not "thing2"\n'])
})

test('template data: the first = splits, a value may hold = or be empty, a key only once', async (t) => {
  t.same(noticeData(['a=b=c', 'd=']), { a: 'b=c', d: '' })
  t.throws(() => noticeData(['=x']), /key=value/)
  t.throws(() => noticeData(['a=1', 'a=2']), /names a twice/)
})

test('template list: each template and the keys it fills', async (t) => {
  const { platform, wemp } = await cliAgainstPlatform(t)
  const run = await wemp(['template', 'list'])
  t.equal(run.out, `${DEFAULT_TEMPLATE_ID}  订单发货通知\n  character_string1=… thing2=… time3=…\n`)
  t.match((await wemp(['template', 'list', '--json'])).json(), { templates: [{ template_id: DEFAULT_TEMPLATE_ID, title: '订单发货通知' }] })
  platform.state.templates.privateTemplates.clear()
  t.match((await wemp(['template', 'list'])).out, /^no templates: add some in the MP console/)
})
