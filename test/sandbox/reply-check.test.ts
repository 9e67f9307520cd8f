import { test } from 'tap'
import { checkReply } from '../../sandbox/reply-check.js'

const push = { openid: 'oFan001', accountId: 'gh_account1', msgType: 'text' }
const head = (type: string, createTime = '1714112445', to = 'oFan001', from = 'gh_account1') =>
  `<ToUserName><![CDATA[${to}]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName><CreateTime>${createTime}</CreateTime><MsgType><![CDATA[${type}]]></MsgType>`
const item = (n: number) => `<item><Title><![CDATA[标题${n}]]></Title><Description><![CDATA[d]]></Description><PicUrl><![CDATA[p]]></PicUrl><Url><![CDATA[u${n}]]></Url></item>`
const news = (count: number, declared = String(count)) =>
  `<xml>${head('news')}<ArticleCount>${declared}</ArticleCount><Articles>${Array.from({ length: count }, (_, i) => item(i + 1)).join('')}</Articles></xml>`

test('valid replies of every type are read into what the chat shows', async (t) => {
  const cases: Array<[string, unknown]> = [
    [`<?xml version="1.0"?>\n<xml>${head('text')}<Content><![CDATA[你好 & <b>]]></Content></xml>`, { type: 'text', content: '你好 & <b>' }],
    [`<xml>${head('text')}<Content>a &amp; b</Content></xml>`, { type: 'text', content: 'a & b' }],
    [`<xml>${head('image')}<Image><MediaId><![CDATA[m1]]></MediaId></Image></xml>`, { type: 'image', mediaId: 'm1' }],
    [`<xml>${head('voice')}<Voice><MediaId>m2</MediaId></Voice></xml>`, { type: 'voice', mediaId: 'm2' }],
    [`<xml>${head('video')}<Video><MediaId>m3</MediaId></Video></xml>`, { type: 'video', mediaId: 'm3' }],
    [`<xml>${head('video')}<Video><MediaId>m3</MediaId><Title>T</Title><Description>D</Description></Video></xml>`, { type: 'video', mediaId: 'm3', title: 'T', description: 'D' }],
    [`<xml>${head('music')}<Music><ThumbMediaId>t</ThumbMediaId></Music></xml>`, { type: 'music', thumbMediaId: 't' }],
    [`<xml>${head('music')}<Music><Title>歌</Title><Description>D</Description><MusicUrl>u</MusicUrl><HQMusicUrl>h</HQMusicUrl><ThumbMediaId>t</ThumbMediaId></Music></xml>`,
      { type: 'music', thumbMediaId: 't', title: '歌', description: 'D', musicUrl: 'u', hqMusicUrl: 'h' }],
    [news(1), { type: 'news', articles: [{ title: '标题1', description: 'd', picUrl: 'p', url: 'u1' }] }],
    [`<xml>${head('transfer_customer_service')}</xml>`, { type: 'transfer_customer_service' }],
    [`<xml>${head('transfer_customer_service')}<TransInfo><KfAccount>kf@gh</KfAccount></TransInfo></xml>`, { type: 'transfer_customer_service', kfAccount: 'kf@gh' }]
  ]
  for (const [xml, reply] of cases) t.same(checkReply(xml, push), { ok: true, reply }, xml)
  t.same(checkReply(news(8), { ...push, msgType: 'event' }).ok, true, '8 articles are fine for an event')
})

test('replies WeChat refuses, each with why', async (t) => {
  const cases: Array<[string, RegExp, typeof push?]> = [
    ['{"touser":"oFan001","msgtype":"text"}', /JSON/],
    ['[1,2]', /JSON/],
    ['{not json', /不是 XML/],
    ['hello', /不是 XML："hello"/],
    ['<!DOCTYPE x [<!ENTITY a "b">]><xml/>', /DOCTYPE/],
    ['<xml><Content>unclosed</xml>', /XML 格式错误（第 1 行）/],
    [`<root>${head('text')}<Content>x</Content></root>`, /根元素必须是唯一的 <xml>，收到 <root>/],
    ['<xml></xml>', /ToUserName 应为.*（缺失）/],
    [`<xml>${head('text')}<Content>a</Content><Content>b</Content></xml>`, /字段 Content 出现了多次/],
    [`<xml>${head('text', '1714112445', 'gh_account1', 'oFan001')}<Content>x</Content></xml>`, /ToUserName 应为粉丝的 openid oFan001.*收到 "gh_account1"/],
    [`<xml>${head('text', '1714112445', 'oFan001', 'gh_other')}<Content>x</Content></xml>`, /FromUserName 应为公众号原始 ID gh_account1/],
    [`<xml>${head('text', '1714112445000')}<Content>x</Content></xml>`, /CreateTime 必须是秒级时间戳，1714112445000 是毫秒/],
    [`<xml>${head('text', '2024-04-26')}<Content>x</Content></xml>`, /CreateTime 必须是整数秒，收到 "2024-04-26"/],
    ['<xml><ToUserName>oFan001</ToUserName><FromUserName>gh_account1</FromUserName><MsgType>text</MsgType></xml>', /CreateTime 必须是整数秒，收到 （缺失）/],
    [`<xml><ToUserName>oFan001</ToUserName><FromUserName>gh_account1</FromUserName><CreateTime>1</CreateTime></xml>`, /缺少 MsgType/],
    [`<xml>${head('markdown')}</xml>`, /未知的 MsgType：markdown/],
    [`<xml>${head('text')}</xml>`, /text 回复缺少 Content/],
    [`<xml>${head('text')}<Content></Content></xml>`, /Content 为空/],
    [`<xml>${head('image')}<MediaId>m</MediaId></xml>`, /image 回复缺少 Image\.MediaId/],
    [`<xml>${head('voice')}<Voice></Voice></xml>`, /voice 回复缺少 Voice\.MediaId/],
    [`<xml>${head('video')}<Video><Title>t</Title></Video></xml>`, /Video\.MediaId/],
    [`<xml>${head('music')}<Music><Title>t</Title></Music></xml>`, /Music\.ThumbMediaId/],
    [`<xml>${head('news')}<ArticleCount>0</ArticleCount><Articles></Articles></xml>`, /没有文章/],
    [`<xml>${head('news')}<ArticleCount>0</ArticleCount></xml>`, /没有文章/],
    [news(9), /最多 8 篇文章，收到 9 篇/, { ...push, msgType: 'event' }],
    [news(2, '3'), /ArticleCount 为 "3"，但 Articles 里有 2 个 item/, { ...push, msgType: 'event' }],
    [news(2), /回复 text 消息时只能回复 1 篇图文，收到 2 篇/],
    [`<xml>${head('news')}<ArticleCount>1</ArticleCount><Articles><item><Title>t</Title></item></Articles></xml>`, /第 1 篇文章缺少/],
    [`<xml>${head('transfer_customer_service')}</xml>`, /事件推送不能转发到客服/, { ...push, msgType: 'event' }]
  ]
  for (const [xml, reason, answered] of cases) {
    const result = checkReply(xml, answered ?? push)
    t.notOk(result.ok, xml)
    t.match(result, { ok: false, reason }, xml)
  }
})
