import { test } from 'tap'
import { noticeFeed } from '../../sandbox/notice-cards.js'
import { createTemplateRegistry, DEFAULT_TEMPLATE_ID } from '../../sandbox/platform/template-registry.js'

const FAN = 'oSandboxFan00000000000000001'

test('a template message whose template was deleted keeps its values; a mini program is where a tap goes', async (t) => {
  const templates = createTemplateRegistry()
  templates.sent.push({ appId: 'wx1', touser: FAN, templateId: DEFAULT_TEMPLATE_ID, msgid: '1', at: 5, body: { data: { thing2: { value: '杯' }, time3: { value: '今天' } }, miniprogram: { appid: 'wx2', pagepath: 'pages/order' } } })
  templates.privateTemplates.delete(DEFAULT_TEMPLATE_ID)
  const [card] = noticeFeed(templates, { templates: 0, subscribe: 0 }).templates.items
  t.same(card, { kind: 'template', appId: 'wx1', touser: FAN, title: '模板消息', lines: ['thing2: 杯', 'time3: 今天'], link: 'pages/order', at: 5 })
})

test('values that are not { value: string } show empty; no url, page or mini program: no link', async (t) => {
  const templates = createTemplateRegistry()
  templates.sent.push({ appId: 'wx1', touser: FAN, templateId: DEFAULT_TEMPLATE_ID, msgid: '1', at: 5, body: { data: { character_string1: 'bare', thing2: { value: 3 } }, url: '' } })
  const [card] = noticeFeed(templates, { templates: 0, subscribe: 0 }).templates.items
  t.same(card?.lines, ['订单编号：', '商品名称：', '发货时间：'])
  t.equal(card?.link, null)
  templates.sent.push({ appId: 'wx1', touser: FAN, templateId: DEFAULT_TEMPLATE_ID, msgid: '2', at: 6, body: { data: null } })
  t.same(noticeFeed(templates, { templates: 1, subscribe: 0 }).templates.items[0]?.lines, ['订单编号：', '商品名称：', '发货时间：'])
})
