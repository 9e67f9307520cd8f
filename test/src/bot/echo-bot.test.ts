import { test, type Test } from 'tap'
import { createBot } from '../../../src/bot/bot.js'
import { echoBotHandlers } from '../../../src/bot/echo-bot.js'
import { parseWeChatXml, type XmlFields } from '../../../src/protocol/xml-codec.js'
import { answerPush } from '../../../src/inbound/answer-push.js'
import { PUSHES, textPush } from '../../fixtures/pushes.js'
import { pushOf, recordingLogger } from '../../helpers/bot-context.js'

const WELCOME = '欢迎！Welcome 😀'
const NOW = 1700000123
const FAN = 'oFan00000000000000000000001'



/** The echo bot's passive reply to a push, as WeChat receives it. */
async function answer (xml: string, welcomeText = WELCOME): Promise<string> {
  const bot = createBot(echoBotHandlers({ welcomeText }))
  return await answerPush(pushOf(xml), { bot, log: recordingLogger(), nowSeconds: () => NOW, deadlineMs: 60_000, late: async () => {} })
}

async function replyFields (t: Test, xml: string, welcomeText = WELCOME): Promise<XmlFields> {
  const body = await answer(xml, welcomeText)
  const parsed = parseWeChatXml(body)
  if (!parsed.ok) {
    t.fail(`answer is not a reply document: ${body.slice(0, 60)}`)
    return {}
  }
  t.equal(parsed.fields.ToUserName, FAN, 'addressed to the fan')
  t.equal(parsed.fields.FromUserName, 'gh_0123456789ab', 'from the account')
  t.equal(parsed.fields.CreateTime, String(NOW), 'stamped now')
  return parsed.fields
}

test('text is echoed byte for byte', async (t) => {
  for (const content of ['this is a test', '你好 😀👍🏽 ok', '  leading and trailing  ', 'line1\nline2', '0x1A', '007', '<b>&amp;</b>', 'x]]>y']) {
    const xml = content.includes(']]>') ? textPush().replace('<![CDATA[hello]]>', '<![CDATA[x]]]]><![CDATA[>y]]>') : textPush({ content })
    const fields = await replyFields(t, xml)
    t.equal(fields.MsgType, 'text')
    t.equal(fields.Content, content, JSON.stringify(content))
  }
})

test('image and voice come back with the same MediaId', async (t) => {
  t.match(await replyFields(t, PUSHES.image), { MsgType: 'image', Image: { MediaId: 'media_id' } })
  t.match(await replyFields(t, PUSHES.voice), { MsgType: 'voice', Voice: { MediaId: 'media_id' } })
})

test('video and shortvideo are answered with a video reply of the same media', async (t) => {
  t.same((await replyFields(t, PUSHES.video)).Video, { MediaId: 'media_id' })
  t.equal((await replyFields(t, PUSHES.video)).MsgType, 'video')
  t.same((await replyFields(t, PUSHES.shortvideo)).Video, { MediaId: 'media_id' })
  t.equal((await replyFields(t, PUSHES.shortvideo)).MsgType, 'video')
})

test('location is answered with its label and coordinates', async (t) => {
  const content = String((await replyFields(t, PUSHES.location)).Content)
  t.match(content, '位置信息')
  t.match(content, '23.134521')
  t.match(content, '113.358803')
  const unnamed = String((await replyFields(t, PUSHES.location.replace('<![CDATA[位置信息]]>', '<![CDATA[]]>'))).Content)
  t.match(unnamed, '23.134521', 'an empty label still gives the coordinates')
  t.notMatch(unnamed, 'undefined')
  t.match(unnamed, '未命名地点', 'and names the place as unnamed')
})

test('link is answered with its title and URL', async (t) => {
  const content = String((await replyFields(t, PUSHES.link)).Content)
  t.match(content, '公众平台官网链接')
  t.match(content, 'https://mp.weixin.qq.com')
})

test('subscribe is welcomed; a QR subscription names its scene', async (t) => {
  t.equal((await replyFields(t, PUSHES.subscribe)).Content, WELCOME, 'exactly the welcome text')
  t.equal((await replyFields(t, PUSHES.subscribe, 'other welcome')).Content, 'other welcome', 'from the options')
  const qr = String((await replyFields(t, PUSHES.subscribeQr)).Content)
  t.ok(qr.startsWith(WELCOME), 'welcome first')
  t.match(qr, '123123', 'the scene')
  t.notMatch(qr, 'qrscene_', 'without the prefix')
  const emptyKey = PUSHES.subscribe.replace('</xml>', '<EventKey><![CDATA[]]></EventKey></xml>')
  t.equal((await replyFields(t, emptyKey)).Content, WELCOME, 'an empty EventKey is a plain subscribe')
  const otherKey = PUSHES.subscribe.replace('</xml>', '<EventKey><![CDATA[last_trade_no]]></EventKey></xml>')
  t.equal((await replyFields(t, otherKey)).Content, WELCOME, 'a key without the qrscene_ prefix names no scene')
  const emptyScene = PUSHES.subscribe.replace('</xml>', '<EventKey><![CDATA[qrscene_]]></EventKey></xml>')
  t.equal((await replyFields(t, emptyScene)).Content, WELCOME, 'an empty scene is a plain welcome')
})

test('SCAN and CLICK are answered with their keys', async (t) => {
  t.match(String((await replyFields(t, PUSHES.SCAN)).Content), 'SCENE_VALUE')
  t.match(String((await replyFields(t, PUSHES.CLICK)).Content), 'EVENTKEY')
})

test('every other event and unknown push is answered success', async (t) => {
  const silent = ['unsubscribe', 'LOCATION', 'VIEW', 'scancode_push', 'scancode_waitmsg', 'pic_sysphoto', 'pic_photo_or_album',
    'pic_weixin', 'location_select', 'TEMPLATESENDJOBFINISH', 'MASSSENDJOBFINISH', 'unknownType', 'unknownEvent'] as const
  for (const name of silent) t.equal(await answer(PUSHES[name]), 'success', name)
})

test('the echo bot answers every fixture with a valid reply or success, never an error', async (t) => {
  for (const [name, xml] of Object.entries(PUSHES)) {
    const log = recordingLogger()
    const body = await answerPush(pushOf(xml), { bot: createBot(echoBotHandlers({ welcomeText: WELCOME })), log, nowSeconds: () => NOW, deadlineMs: 60_000, late: async () => {} })
    t.ok(body === 'success' || parseWeChatXml(body).ok, name)
    t.same(log.calls.filter((c) => c.level === 'error'), [], `${name}: no error logged`)
  }
})

test('the longest text a push may carry is echoed as a valid reply', async (t) => {
  // 8192 characters is the cap on both sides, so the echo always fits; pin that.
  const body = await answer(textPush({ content: 'z'.repeat(8192) }))
  t.equal(parseWeChatXml(body).ok, true)
})
