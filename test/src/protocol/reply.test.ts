import { XMLParser } from 'fast-xml-parser'
import { test, type Test } from 'tap'
import { NO_REPLY, renderReply, reply, type Article, type ReplyAddress } from '../../../src/protocol/reply.js'
import { parseWeChatXml, type XmlFields } from '../../../src/protocol/xml-codec.js'

const ADDRESS: ReplyAddress = { toUser: 'oFan00000000000000000000001', fromAccount: 'gh_0123456789ab', inboundType: 'text', createTime: 1700000000 }
const HEAD = '<xml><ToUserName><![CDATA[oFan00000000000000000000001]]></ToUserName><FromUserName><![CDATA[gh_0123456789ab]]></FromUserName>' +
  '<CreateTime>1700000000</CreateTime>'

function xmlOf (t: Test, value: unknown, address: ReplyAddress = ADDRESS): string {
  const result = renderReply(value, address)
  if (!result.ok) {
    t.fail(`refused: ${result.reason}`)
    return ''
  }
  return result.xml
}

function fieldsOf (t: Test, value: unknown, address: ReplyAddress = ADDRESS): XmlFields {
  const parsed = parseWeChatXml(xmlOf(t, value, address))
  if (!parsed.ok) {
    t.fail(`reply does not parse: ${parsed.error}`)
    return {}
  }
  return parsed.fields
}

/** An independent parser for multi-article replies (our codec refuses repeated <item>, as it should for input). */
const independent = new XMLParser({ parseTagValue: false, trimValues: false, processEntities: false, isArray: (name) => name === 'item' })

function reasonOf (value: unknown, address: ReplyAddress = ADDRESS): string | undefined {
  const result = renderReply(value, address)
  return result.ok ? undefined : result.reason
}

const article = (n: number): Article => ({ title: `标题${n}`, description: `描述${n}`, picUrl: `https://p.example/${n}.jpg`, url: `https://a.example/${n}` })

test('NO_REPLY is the documented "success"', async (t) => {
  t.equal(NO_REPLY, 'success')
})

test('text renders the exact XML', async (t) => {
  t.equal(xmlOf(t, reply.text('你好')), `${HEAD}<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好]]></Content></xml>`)
  t.same(fieldsOf(t, reply.text('line1\nline2 😀')), {
    ToUserName: 'oFan00000000000000000000001', FromUserName: 'gh_0123456789ab', CreateTime: '1700000000', MsgType: 'text', Content: 'line1\nline2 😀'
  })
})

test('image and voice render their MediaId', async (t) => {
  t.equal(xmlOf(t, reply.image('MEDIA_1')), `${HEAD}<MsgType><![CDATA[image]]></MsgType><Image><MediaId><![CDATA[MEDIA_1]]></MediaId></Image></xml>`)
  t.match(fieldsOf(t, reply.voice('MEDIA_2')), { MsgType: 'voice', Voice: { MediaId: 'MEDIA_2' } })
})

test('video renders MediaId and the optional title and description', async (t) => {
  t.same(fieldsOf(t, reply.video('V1')).Video, { MediaId: 'V1' }, 'no empty Title/Description elements')
  t.same(fieldsOf(t, reply.video('V1', 'T')).Video, { MediaId: 'V1', Title: 'T' })
  t.same(fieldsOf(t, reply.video('V1', 'T', 'D')).Video, { MediaId: 'V1', Title: 'T', Description: 'D' })
  t.same(fieldsOf(t, reply.video('V1', undefined, 'D')).Video, { MediaId: 'V1', Description: 'D' })
  t.same(fieldsOf(t, reply.video('V1', '', '')).Video, { MediaId: 'V1', Title: '', Description: '' }, 'empty strings are kept')
})

test('music needs ThumbMediaId only; the rest is optional', async (t) => {
  t.equal(xmlOf(t, reply.music({ thumbMediaId: 'TH' })), `${HEAD}<MsgType><![CDATA[music]]></MsgType><Music><ThumbMediaId><![CDATA[TH]]></ThumbMediaId></Music></xml>`)
  t.same(fieldsOf(t, reply.music({ thumbMediaId: 'TH', title: 'T', description: 'D', musicUrl: 'http://m/1.mp3', hqMusicUrl: 'http://m/1hq.mp3' })).Music, {
    Title: 'T', Description: 'D', MusicUrl: 'http://m/1.mp3', HQMusicUrl: 'http://m/1hq.mp3', ThumbMediaId: 'TH'
  })
  t.match(reasonOf({ type: 'music', title: 'no thumb' }), /schema/, 'ThumbMediaId is required')
})

test('news renders ArticleCount and every article in order', async (t) => {
  const one = fieldsOf(t, reply.news([article(1)]))
  t.same(one, {
    ToUserName: 'oFan00000000000000000000001', FromUserName: 'gh_0123456789ab', CreateTime: '1700000000', MsgType: 'news',
    ArticleCount: '1', Articles: { item: { Title: '标题1', Description: '描述1', PicUrl: 'https://p.example/1.jpg', Url: 'https://a.example/1' } }
  })
  const eight = [1, 2, 3, 4, 5, 6, 7, 8].map(article)
  const doc = independent.parse(xmlOf(t, reply.news(eight), { ...ADDRESS, inboundType: 'event' })) as { xml: { ArticleCount: string, Articles: { item: unknown[] } } }
  t.equal(doc.xml.ArticleCount, '8')
  t.same(doc.xml.Articles.item, eight.map((a) => ({ Title: a.title, Description: a.description, PicUrl: a.picUrl, Url: a.url })))
})

test('news: one article for text/image/video/link/location, eight otherwise, never nine', async (t) => {
  for (const inboundType of ['text', 'image', 'video', 'link', 'location']) {
    t.ok(renderReply(reply.news([article(1)]), { ...ADDRESS, inboundType }).ok, `${inboundType}: one article`)
    t.match(reasonOf(reply.news([article(1), article(2)]), { ...ADDRESS, inboundType }), /one article/, `${inboundType}: two refused`)
  }
  for (const inboundType of ['event', 'voice', 'shortvideo']) {
    t.ok(renderReply(reply.news([1, 2, 3, 4, 5, 6, 7, 8].map(article)), { ...ADDRESS, inboundType }).ok, `${inboundType}: eight`)
    t.match(reasonOf(reply.news([1, 2, 3, 4, 5, 6, 7, 8, 9].map(article)), { ...ADDRESS, inboundType }), /schema/, `${inboundType}: nine refused`)
  }
  t.match(reasonOf(reply.news([]), { ...ADDRESS, inboundType: 'event' }), /schema/, 'zero refused')
})

test('transfer_customer_service: with or without an agent, never for events', async (t) => {
  t.equal(xmlOf(t, reply.transferToCustomerService()), `${HEAD}<MsgType><![CDATA[transfer_customer_service]]></MsgType></xml>`)
  t.equal(xmlOf(t, reply.transferToCustomerService('kf001@gh_0123456789ab')),
    `${HEAD}<MsgType><![CDATA[transfer_customer_service]]></MsgType><TransInfo><KfAccount><![CDATA[kf001@gh_0123456789ab]]></KfAccount></TransInfo></xml>`)
  t.equal(reasonOf(reply.transferToCustomerService(), { ...ADDRESS, inboundType: 'event' }), 'events cannot be transferred to customer service')
  t.ok(renderReply(reply.transferToCustomerService(), { ...ADDRESS, inboundType: 'voice' }).ok, 'other messages may be transferred')
})

test('invalid reply objects are refused with a reason', async (t) => {
  const invalid: unknown[] = [
    null, undefined, 'hello', 42, [], {}, { type: 'bogus' }, { type: 'text' }, { type: 'text', content: '' },
    { type: 'text', content: 'x'.repeat(8193) }, { type: 'text', content: 7 }, { type: 'image' }, { type: 'image', mediaId: '' },
    { type: 'voice', mediaId: 'm'.repeat(257) }, { type: 'video', mediaId: 'm', title: 5 }, { type: 'news', articles: [{ title: 't' }] },
    { type: 'news', articles: 'x' }, { type: 'transfer_customer_service', kfAccount: '' }, { Type: 'text', content: 'x' }
  ]
  for (const value of invalid) {
    const reason = reasonOf(value)
    t.type(reason, 'string', JSON.stringify(value)?.slice(0, 60) ?? String(value))
    t.match(reason, /^reply does not match the schema at /)
  }
  t.ok(renderReply({ type: 'text', content: 'x'.repeat(8192) }, ADDRESS).ok, '8192 characters is the limit')
})

test(']]> and markup in any field survive a round trip', async (t) => {
  const nasty = 'a]]>b<xml></xml>]]>]]><![CDATA[&lt;'
  t.equal(fieldsOf(t, reply.text(nasty)).Content, nasty)
  t.equal(fieldsOf(t, reply.text(']]>')).Content, ']]>')
  t.same(fieldsOf(t, reply.video('m]]>', nasty, nasty)).Video, { MediaId: 'm]]>', Title: nasty, Description: nasty })
  const fields = fieldsOf(t, reply.text('x'), { ...ADDRESS, toUser: 'o]]><evil/>', fromAccount: 'gh_]]>' })
  t.equal(fields.ToUserName, 'o]]><evil/>', 'the address is escaped too')
  t.equal(fields.FromUserName, 'gh_]]>')
  const news = independent.parse(xmlOf(t, reply.news([{ title: nasty, description: nasty, picUrl: nasty, url: nasty }]))) as { xml: { Articles: { item: Array<Record<string, string>> } } }
  t.same(news.xml.Articles.item[0], { Title: nasty, Description: nasty, PicUrl: nasty, Url: nasty })
})

test('control characters in a reply become U+FFFD, keeping the XML well-formed', async (t) => {
  t.equal(fieldsOf(t, reply.text('a\u0000b\u001Fc')).Content, 'a\uFFFDb\uFFFDc')
})
