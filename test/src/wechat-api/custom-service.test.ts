import { test } from 'tap'
import type { RunningPlatformApi } from '../../../sandbox/platform/platform-api.js'
import type { CustomMessage } from '../../../src/wechat-api/custom-service.js'
import { apiFor, startPlatform } from '../../fixtures/platform-fixture.js'
import { rejectionOf } from '../../fixtures/rejection-of.js'

const SEND = '/cgi-bin/message/custom/send'
const TYPING = '/cgi-bin/message/custom/typing'
const XIAOMING = 'oSandboxFan00000000000000001'
const CHENJING = 'oSandboxFan00000000000000003'

function seedMedia (platform: RunningPlatformApi): { image: string, thumb: string, news: string } {
  const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0])
  const { media } = platform.state
  return {
    image: media.add('temporary', { type: 'image', bytes: jpeg, filename: 'a.jpg', contentType: 'image/jpeg' }).mediaId,
    thumb: media.add('temporary', { type: 'thumb', bytes: jpeg, filename: 't.jpg', contentType: 'image/jpeg' }).mediaId,
    news: media.addNews([{ title: '新闻' }]).mediaId
  }
}

test('every kind of message in WeChat\'s exact body, each recorded as its own card', async (t) => {
  const platform = await startPlatform(t)
  const { customService } = apiFor(platform).api.management
  const { image, thumb, news } = seedMedia(platform)
  const cases: Array<[CustomMessage, string]> = [
    [{ type: 'text', content: '你好 <b>&</b>' }, '"msgtype":"text","text":{"content":"你好 <b>&</b>"}'],
    [{ type: 'image', mediaId: image }, `"msgtype":"image","image":{"media_id":"${image}"}`],
    [{ type: 'voice', mediaId: image }, `"msgtype":"voice","voice":{"media_id":"${image}"}`],
    [{ type: 'video', mediaId: image, thumbMediaId: thumb, title: '视频', description: '说明' },
      `"msgtype":"video","video":{"media_id":"${image}","thumb_media_id":"${thumb}","title":"视频","description":"说明"}`],
    [{ type: 'video', mediaId: image, thumbMediaId: thumb }, `"msgtype":"video","video":{"media_id":"${image}","thumb_media_id":"${thumb}"}`],
    [{ type: 'music', title: '歌', description: '词', musicUrl: 'https://m.cn/a.mp3', hqMusicUrl: 'https://m.cn/hq.mp3', thumbMediaId: thumb },
      `"msgtype":"music","music":{"title":"歌","description":"词","musicurl":"https://m.cn/a.mp3","hqmusicurl":"https://m.cn/hq.mp3","thumb_media_id":"${thumb}"}`],
    [{ type: 'music', musicUrl: 'https://m.cn/a.mp3', hqMusicUrl: 'https://m.cn/hq.mp3', thumbMediaId: thumb },
      `"msgtype":"music","music":{"musicurl":"https://m.cn/a.mp3","hqmusicurl":"https://m.cn/hq.mp3","thumb_media_id":"${thumb}"}`],
    [{ type: 'news', title: '标题', description: '摘要', url: 'https://example.com/a', picUrl: 'https://example.com/p.jpg' },
      '"msgtype":"news","news":{"articles":[{"title":"标题","description":"摘要","url":"https://example.com/a","picurl":"https://example.com/p.jpg"}]}'],
    [{ type: 'news', title: '标题', url: 'https://example.com/a' }, '"msgtype":"news","news":{"articles":[{"title":"标题","url":"https://example.com/a"}]}'],
    [{ type: 'mpnews', mediaId: news }, `"msgtype":"mpnews","mpnews":{"media_id":"${news}"}`],
    [{ type: 'mpnewsarticle', articleId: 'ART_ID' }, '"msgtype":"mpnewsarticle","mpnewsarticle":{"article_id":"ART_ID"}'],
    [{ type: 'menu', head: '您对本次服务是否满意呢?', items: [{ id: '101', content: '满意' }, { id: '102', content: '不满意' }], tail: '欢迎再次光临' },
      '"msgtype":"msgmenu","msgmenu":{"head_content":"您对本次服务是否满意呢?","list":[{"id":"101","content":"满意"},{"id":"102","content":"不满意"}],"tail_content":"欢迎再次光临"}'],
    [{ type: 'menu', items: [{ id: '1', content: '是' }] }, '"msgtype":"msgmenu","msgmenu":{"list":[{"id":"1","content":"是"}]}'],
    [{ type: 'wxcard', cardId: 'pPuCard' }, '"msgtype":"wxcard","wxcard":{"card_id":"pPuCard"}'],
    [{ type: 'miniprogrampage', title: '小程序', appid: 'wx286b93c14bbf93aa', pagepath: 'pages/index', thumbMediaId: thumb },
      `"msgtype":"miniprogrampage","miniprogrampage":{"title":"小程序","appid":"wx286b93c14bbf93aa","pagepath":"pages/index","thumb_media_id":"${thumb}"}`]
  ]
  for (const [message, part] of cases) {
    await customService.send(XIAOMING, message)
    t.equal(platform.state.requests.last(SEND)?.body, `{"touser":"${XIAOMING}",${part}}`, message.type)
  }
  t.same(platform.state.messages.map((m) => m.msgtype), ['text', 'image', 'voice', 'video', 'video', 'music', 'music', 'news', 'news', 'mpnews', 'mpnewsarticle', 'msgmenu', 'msgmenu', 'wxcard', 'miniprogrampage'])
})

test('sent as a customer-service account', async (t) => {
  const platform = await startPlatform(t)
  const { customService } = apiFor(platform).api.management
  await customService.send(XIAOMING, { type: 'text', content: 'hi' }, { kfAccount: 'kf2001@gh_wempsandbox0' })
  t.equal(platform.state.requests.last(SEND)?.body, `{"touser":"${XIAOMING}","msgtype":"text","text":{"content":"hi"},"customservice":{"kf_account":"kf2001@gh_wempsandbox0"}}`)
})

test('WeChat\'s refusals come back typed: 40007 unknown media, 45008 two articles, 45015 outside the window', async (t) => {
  const platform = await startPlatform(t)
  const { customService } = apiFor(platform).api.management
  t.match(await rejectionOf(customService.send(XIAOMING, { type: 'image', mediaId: 'expired' })), { errcode: 40007, api: 'message/custom/send' })
  t.match(await rejectionOf(customService.send(CHENJING, { type: 'text', content: 'hi' })), { errcode: 45015 })
  t.match(await rejectionOf(customService.send(XIAOMING, { type: 'text', content: 'a'.repeat(2049) })), { errcode: 45002 })
  t.equal(platform.state.messages.length, 0)
})

test('a long answer goes out as consecutive messages, each within 2048 bytes, in order', async (t) => {
  const platform = await startPlatform(t)
  const { customService } = apiFor(platform).api.management
  const answer = `${'北京明天晴，'.repeat(200)}\n${'🌞'.repeat(600)}`
  const count = await customService.sendLongText(XIAOMING, answer, { kfAccount: 'kf1@gh_x' })
  t.equal(count, platform.state.messages.length)
  t.ok(count >= 3)
  t.equal(platform.state.messages.map((m) => m.content).join(''), answer)
  t.ok(platform.state.messages.every((m) => Buffer.byteLength(m.content as string) <= 2048))
  t.match(platform.state.messages[0]?.body, { customservice: { kf_account: 'kf1@gh_x' } })
  t.equal(await customService.sendLongText(XIAOMING, ''), 0)
  const small = await customService.sendLongText(XIAOMING, 'abcdefghij', { maxBytes: 4 })
  t.equal(small, 3)
})

test('a failure stops a long answer: the rest is not sent', async (t) => {
  const platform = await startPlatform(t)
  const { customService } = apiFor(platform).api.management
  platform.state.failNext(SEND, { delayMs: 0 })
  platform.state.failNext(SEND, { errcode: 45047, errmsg: 'out of response count limit' })
  t.match(await rejectionOf(customService.sendLongText(XIAOMING, 'abcdefghijkl', { maxBytes: 4 })), { errcode: 45047 })
  t.equal(platform.state.messages.length, 1)
  t.equal(platform.state.callCount(SEND), 2)
})

test('typing: Typing and CancelTyping; a message ends it', async (t) => {
  const platform = await startPlatform(t)
  const { customService } = apiFor(platform).api.management
  await customService.typing(XIAOMING, true)
  t.equal(platform.state.requests.last(TYPING)?.body, `{"touser":"${XIAOMING}","command":"Typing"}`)
  t.ok(platform.state.typing.has(XIAOMING))
  t.match(await rejectionOf(customService.typing(XIAOMING, true)), { errcode: 45081 })
  await customService.typing(XIAOMING, false)
  t.equal(platform.state.requests.last(TYPING)?.body, `{"touser":"${XIAOMING}","command":"CancelTyping"}`)
  t.notOk(platform.state.typing.has(XIAOMING))
  await customService.typing(XIAOMING, true)
  await customService.send(XIAOMING, { type: 'text', content: '好了' })
  t.notOk(platform.state.typing.has(XIAOMING), 'the message ended the typing status')
  t.match(await rejectionOf(customService.typing(CHENJING, true)), { errcode: 45080 })
})
