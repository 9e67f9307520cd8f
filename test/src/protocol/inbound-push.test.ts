import { test, type Test } from 'tap'
import { toInboundPush, type InboundPush } from '../../../src/protocol/inbound-push.js'
import { parseWeChatXml, type XmlFields } from '../../../src/protocol/xml-codec.js'
import { PUSHES, textPush } from '../../fixtures/pushes.js'

function fieldsOf (xml: string): XmlFields {
  const parsed = parseWeChatXml(xml)
  if (!parsed.ok) throw new Error(`fixture does not parse: ${parsed.error}`)
  return parsed.fields
}

function pushOf (t: Test, xml: string): InboundPush | undefined {
  const result = toInboundPush(fieldsOf(xml))
  if (!result.ok) {
    t.fail(`refused at ${result.field}`)
    return undefined
  }
  return result.push
}

function refusedField (fields: XmlFields): string | undefined {
  const result = toInboundPush(fields)
  return result.ok ? undefined : result.field
}

const FAN = 'oFan00000000000000000000001'

test('every fixture becomes the right kind and type', async (t) => {
  const expected: Record<keyof typeof PUSHES, [InboundPush['kind'], string]> = {
    text: ['message', 'text'],
    image: ['message', 'image'],
    voice: ['message', 'voice'],
    video: ['message', 'video'],
    shortvideo: ['message', 'shortvideo'],
    location: ['message', 'location'],
    link: ['message', 'link'],
    subscribe: ['event', 'subscribe'],
    subscribeQr: ['event', 'subscribe'],
    unsubscribe: ['event', 'unsubscribe'],
    SCAN: ['event', 'SCAN'],
    LOCATION: ['event', 'LOCATION'],
    CLICK: ['event', 'CLICK'],
    VIEW: ['event', 'VIEW'],
    scancode_push: ['event', 'scancode_push'],
    scancode_waitmsg: ['event', 'scancode_waitmsg'],
    pic_sysphoto: ['event', 'pic_sysphoto'],
    pic_photo_or_album: ['event', 'pic_photo_or_album'],
    pic_weixin: ['event', 'pic_weixin'],
    location_select: ['event', 'location_select'],
    TEMPLATESENDJOBFINISH: ['event', 'TEMPLATESENDJOBFINISH'],
    MASSSENDJOBFINISH: ['event', 'MASSSENDJOBFINISH'],
    unknownType: ['other', 'miniprogrampage'],
    unknownEvent: ['other', 'view_miniprogram']
  }
  t.same(Object.keys(expected).sort(), Object.keys(PUSHES).sort(), 'every fixture is listed')
  for (const [name, xml] of Object.entries(PUSHES)) {
    const push = pushOf(t, xml)
    const [kind, type] = expected[name as keyof typeof PUSHES]
    t.equal(push?.kind, kind, `${name} kind`)
    t.equal(push?.type, type, `${name} type`)
    t.equal(push?.message.FromUserName, FAN, `${name} sender`)
    t.equal(push?.message.ToUserName, 'gh_0123456789ab', `${name} account`)
    t.equal(push?.message.CreateTime, '1348831860', `${name} CreateTime stays a string`)
  }
})

test('messages carry their typed fields as exact strings', async (t) => {
  t.match(pushOf(t, PUSHES.text)?.message, { MsgType: 'text', Content: 'this is a test', MsgId: '1234567890123456' })
  t.equal(typeof pushOf(t, PUSHES.text)?.message.CreateTime, 'string')
  t.match(pushOf(t, PUSHES.image)?.message, { PicUrl: 'http://mmbiz.qpic.cn/x.jpg', MediaId: 'media_id', MsgId: '1234567890123456' })
  t.match(pushOf(t, PUSHES.voice)?.message, { MediaId: 'media_id', Format: 'amr', MediaId16K: 'media16k', Recognition: '' })
  t.match(pushOf(t, PUSHES.video)?.message, { MediaId: 'media_id', ThumbMediaId: 'thumb_media_id' })
  t.match(pushOf(t, PUSHES.shortvideo)?.message, { MediaId: 'media_id', ThumbMediaId: 'thumb_media_id' })
  t.match(pushOf(t, PUSHES.location)?.message, { Location_X: '23.134521', Location_Y: '113.358803', Scale: '20', Label: '位置信息' })
  t.match(pushOf(t, PUSHES.link)?.message, { Title: '公众平台官网链接', Description: '公众平台官网链接', Url: 'https://mp.weixin.qq.com' })
})

test('voice: Recognition and MediaId16K may be absent', async (t) => {
  const bare = PUSHES.voice.replace(/<MediaId16K>.*?<\/MediaId16K>/, '').replace(/<Recognition>.*?<\/Recognition>/, '')
  const push = pushOf(t, bare)
  t.equal(push?.type, 'voice')
  t.notOk(push !== undefined && 'Recognition' in push.message)
  t.notOk(push !== undefined && 'MediaId16K' in push.message)
  const recognised = pushOf(t, PUSHES.voice.replace('<Recognition><![CDATA[]]>', '<Recognition><![CDATA[腾讯微信团队]]>'))
  t.match(recognised?.message, { Recognition: '腾讯微信团队' })
})

test('events carry their typed fields', async (t) => {
  const subscribe = pushOf(t, PUSHES.subscribe)
  t.equal(subscribe?.type, 'subscribe')
  t.notOk(subscribe !== undefined && 'EventKey' in subscribe.message, 'plain subscribe has no EventKey')
  t.match(pushOf(t, PUSHES.subscribeQr)?.message, { Event: 'subscribe', EventKey: 'qrscene_123123', Ticket: 'TICKET' })
  t.match(pushOf(t, PUSHES.SCAN)?.message, { Event: 'SCAN', EventKey: 'SCENE_VALUE', Ticket: 'TICKET' })
  t.match(pushOf(t, PUSHES.LOCATION)?.message, { Latitude: '23.137466', Longitude: '113.352425', Precision: '119.385040' })
  t.match(pushOf(t, PUSHES.CLICK)?.message, { EventKey: 'EVENTKEY' })
  t.match(pushOf(t, PUSHES.VIEW)?.message, { EventKey: 'www.qq.com', MenuId: '208396938' })
  t.same((pushOf(t, PUSHES.scancode_push)?.message as Record<string, unknown>).ScanCodeInfo, { ScanType: 'qrcode', ScanResult: '1' })
  t.same((pushOf(t, PUSHES.scancode_waitmsg)?.message as Record<string, unknown>).ScanCodeInfo, { ScanType: 'qrcode', ScanResult: '2' })
  t.same((pushOf(t, PUSHES.pic_photo_or_album)?.message as Record<string, unknown>).SendPicsInfo, {
    Count: '2',
    PicList: { item: [{ PicMd5Sum: '5a75aaca956d97be686719218f275c6b' }, { PicMd5Sum: '1b5f7c23b5bf75682a53e7b6d163e185' }] }
  }, 'pic_photo_or_album keeps both items in order')
  t.same((pushOf(t, PUSHES.location_select)?.message as Record<string, unknown>).SendLocationInfo, {
    Location_X: '23', Location_Y: '113', Scale: '15', Label: ' 广州市海珠区客村艺苑路 106号', Poiname: ''
  }, 'location_select keeps the leading space and the empty Poiname')
  t.match(pushOf(t, PUSHES.TEMPLATESENDJOBFINISH)?.message, { MsgID: '200163836', Status: 'success' })
  t.match(pushOf(t, PUSHES.MASSSENDJOBFINISH)?.message, {
    MsgID: '1988', Status: 'sendsuccess', TotalCount: '100', FilterCount: '80', SentCount: '75', ErrorCount: '5'
  })
})

test('job-finish events need MsgID (capital D); MsgId does not stand in for it', async (t) => {
  const wrongCase = fieldsOf(PUSHES.TEMPLATESENDJOBFINISH.replace(/MsgID/g, 'MsgId'))
  t.equal(refusedField(wrongCase), 'MsgID')
})

test('a picture event with no pictures has an empty PicList', async (t) => {
  const none = PUSHES.pic_sysphoto.replace(/<Count>1<\/Count><PicList>.*<\/PicList>/, '<Count>0</Count><PicList></PicList>')
  t.match(pushOf(t, none)?.message, { SendPicsInfo: { Count: '0', PicList: '' } })
  const tooMany = PUSHES.pic_sysphoto.replace(/<PicList>.*<\/PicList>/,
    `<PicList>${'<item><PicMd5Sum><![CDATA[x]]></PicMd5Sum></item>'.repeat(10)}</PicList>`)
  t.match(refusedField(fieldsOf(tooMany)), /^SendPicsInfo\/PicList/, 'more than 9 pictures refused')
})

test('unknown message types and events are "other", with their type', async (t) => {
  const unknownType = pushOf(t, PUSHES.unknownType)
  t.match(unknownType, { kind: 'other', type: 'miniprogrampage', message: { MsgType: 'miniprogrampage' } })
  const unknownEvent = pushOf(t, PUSHES.unknownEvent)
  t.match(unknownEvent, { kind: 'other', type: 'view_miniprogram', message: { MsgType: 'event', Event: 'view_miniprogram' } })
  const noEvent = pushOf(t, PUSHES.subscribe.replace(/<Event>.*?<\/Event>/, ''))
  t.match(noEvent, { kind: 'other', type: 'event' }, 'an event push without Event')
  t.match(pushOf(t, textPush().replace(/\[CDATA\[text\]\]/, '[CDATA[TEXT]]')), { kind: 'other', type: 'TEXT' }, 'types are case-sensitive')
})

test('each missing header field is named', async (t) => {
  for (const name of ['ToUserName', 'FromUserName', 'MsgType', 'CreateTime']) {
    for (const xml of [PUSHES.text, PUSHES.subscribe, PUSHES.unknownType]) {
      const fields = fieldsOf(xml)
      delete fields[name]
      t.equal(refusedField(fields), name, `${name} missing from ${String(fieldsOf(xml).MsgType)}`)
      t.equal(refusedField({ ...fieldsOf(xml), [name]: '' }), name, `${name} empty`)
      t.equal(refusedField({ ...fieldsOf(xml), [name]: { x: '1' } }), name, `${name} is an element`)
    }
  }
})

test('CreateTime must be digits', async (t) => {
  for (const value of ['abc', '12.5', '-1', '1e9', ' 1348831860', '1'.repeat(13)]) {
    t.equal(refusedField(fieldsOf(textPush({ createTime: value }))), 'CreateTime', JSON.stringify(value))
  }
})

test('type-specific fields are required and checked', async (t) => {
  const withoutContent = fieldsOf(PUSHES.text)
  delete withoutContent.Content
  t.equal(refusedField(withoutContent), 'Content')
  t.equal(refusedField(fieldsOf(textPush({ msgId: 'abc' }))), 'MsgId')
  t.equal(refusedField(fieldsOf(textPush({ msgId: '1'.repeat(21) }))), 'MsgId', '21 digits')
  t.equal(refusedField(fieldsOf(PUSHES.location.replace('23.134521', '1e5'))), 'Location_X')
  t.equal(refusedField(fieldsOf(PUSHES.SCAN.replace(/<EventKey>.*?<\/EventKey>/, ''))), 'EventKey', 'SCAN needs its scene')
  t.equal(refusedField(fieldsOf(PUSHES.scancode_push.replace(/<ScanType>.*?<\/ScanType>/, ''))), 'ScanCodeInfo/ScanType', 'nested fields are named by their path')
  t.equal(refusedField({ ...fieldsOf(PUSHES.image), MediaId: { nested: '1' } }), 'MediaId', 'an element where text is expected')
})

test('MsgId stays the exact decimal string beyond 2^53', async (t) => {
  const msgIdOf = (id: string): unknown => (pushOf(t, textPush({ msgId: id }))?.message as Record<string, unknown> | undefined)?.MsgId
  t.equal(msgIdOf('9007199254740992'), '9007199254740992')
  t.equal(msgIdOf('9007199254740993'), '9007199254740993')
  t.not(msgIdOf('9007199254740992'), msgIdOf('9007199254740993'), 'distinct')
  for (const id of ['6054768590064713728', '6054768590064714000', '1234567890123456', '12345678901234567890', '007']) {
    t.equal(msgIdOf(id), id, id)
  }
})

test('Content is capped at 8192 characters', async (t) => {
  t.equal(pushOf(t, textPush({ content: 'x'.repeat(8192) }))?.type, 'text', '8192 accepted')
  t.equal(pushOf(t, textPush({ content: '字'.repeat(8192) }))?.type, 'text', '8192 CJK characters accepted')
  t.equal(refusedField(fieldsOf(textPush({ content: 'x'.repeat(8193) }))), 'Content', '8193 refused')
  t.equal(refusedField(fieldsOf(textPush({ content: 'x'.repeat(100_000) }))), 'Content', '100 KB refused')
})

test('unknown extra fields are tolerated', async (t) => {
  const push = pushOf(t, PUSHES.text.replace('</xml>', '<MsgDataId>1</MsgDataId><Idx>1</Idx><Extra>x</Extra><__hasOwnProperty>1</__hasOwnProperty></xml>'))
  t.match(push, { kind: 'message', type: 'text' })
})

test('something that is not a field map is refused as xml', async (t) => {
  t.equal(refusedField(undefined as unknown as XmlFields), 'xml')
  t.equal(refusedField('text' as unknown as XmlFields), 'xml')
})
