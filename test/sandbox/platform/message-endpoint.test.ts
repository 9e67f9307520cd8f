import { test } from 'tap'
import { APP_ID, APP_SECRET, startPlatform } from '../../fixtures/platform-fixture.js'
import type { RunningPlatformApi } from '../../../sandbox/platform/platform-api.js'
import { postJson, request } from '../../fixtures/http-json.js'

const XIAOMING = 'oSandboxFan00000000000000001'
const CHENJING = 'oSandboxFan00000000000000003'

async function sendUrl (platform: RunningPlatformApi): Promise<string> {
  const token = await request(`${platform.url}/cgi-bin/token?grant_type=client_credential&appid=${APP_ID}&secret=${APP_SECRET}`)
  return `${platform.url}/cgi-bin/message/custom/send?access_token=${token.json.access_token as string}`
}

test('a text message is recorded with its content and time', async (t) => {
  let now = 5_000
  const platform = await startPlatform(t, { now: () => now })
  const url = await sendUrl(platform)
  now = 6_000
  const answer = await postJson(url, { touser: XIAOMING, msgtype: 'text', text: { content: '你好' } })
  t.same(answer.json, { errcode: 0, errmsg: 'ok' })
  t.match(answer.type, /^application\/json/)
  t.same(platform.state.messages, [{ appId: APP_ID, touser: XIAOMING, msgtype: 'text', content: '你好', body: { touser: XIAOMING, msgtype: 'text', text: { content: '你好' } }, at: 6_000 }])
})

test('other message types are recorded without content', async (t) => {
  const platform = await startPlatform(t)
  const image = platform.state.media.add('temporary', { type: 'image', bytes: Buffer.from([0xff, 0xd8, 0xff]), filename: 'a.jpg', contentType: 'image/jpeg' })
  const body = { touser: XIAOMING, msgtype: 'image', image: { media_id: image.mediaId } }
  t.equal((await postJson(await sendUrl(platform), body)).json.errcode, 0)
  t.same(platform.state.messages[0], { appId: APP_ID, touser: XIAOMING, msgtype: 'image', body, at: platform.state.messages[0]?.at })
  t.notOk('content' in (platform.state.messages[0] ?? {}))
})

test('the 48-hour window: 45015 outside it, and it can be reopened', async (t) => {
  const platform = await startPlatform(t)
  const url = await sendUrl(platform)
  const message = { touser: CHENJING, msgtype: 'text', text: { content: 'hi' } }
  const refused = await postJson(url, message)
  t.equal(refused.json.errcode, 45015)
  t.equal(refused.type, 'text/plain')
  platform.state.setOutsideWindow(CHENJING, false)
  t.equal((await postJson(url, message)).json.errcode, 0)
  platform.state.setOutsideWindow(XIAOMING, true)
  t.equal((await postJson(url, { ...message, touser: XIAOMING })).json.errcode, 45015)
  t.throws(() => { platform.state.setOutsideWindow('oUnknown', true) }, /no fan oUnknown/)
})

test('an account without customer-service rights gets 48001; another account on the platform is unaffected', async (t) => {
  const other = { appId: 'wxotherapp0000002', appSecret: 'other-secret-0123456789abcdef' }
  const platform = await startPlatform(t, { apps: [other] })
  const url = await sendUrl(platform)
  const message = { touser: XIAOMING, msgtype: 'text', text: { content: '你好' } }
  platform.state.withoutCustomerService.add(APP_ID)
  const refused = await postJson(url, message)
  t.same(refused.json, { errcode: 48001, errmsg: refused.json.errmsg })
  t.match(refused.json.errmsg, /^api unauthorized rid: /)
  t.equal((await postJson(url, 'not json')).json.errcode, 48001, 'before the body is looked at')
  const token = await request(`${platform.url}/cgi-bin/token?grant_type=client_credential&appid=${other.appId}&secret=${other.appSecret}`)
  t.equal((await postJson(`${platform.url}/cgi-bin/message/custom/send?access_token=${token.json.access_token as string}`, message)).json.errcode, 0)
  t.same(platform.state.messages.map((m) => m.appId), [other.appId])
  platform.state.withoutCustomerService.delete(APP_ID)
  t.equal((await postJson(url, message)).json.errcode, 0, 'switched back')
})

test('refusals: bad token, bad JSON, unknown openid, empty content', async (t) => {
  const platform = await startPlatform(t)
  const url = await sendUrl(platform)
  const base = `${platform.url}/cgi-bin/message/custom/send`
  const cases: Array<[string, unknown, number]> = [
    [base, { touser: XIAOMING, msgtype: 'text', text: { content: 'x' } }, 41001],
    [`${base}?access_token=forged`, { touser: XIAOMING, msgtype: 'text', text: { content: 'x' } }, 40001],
    [url, 'not json', 47001],
    [url, { touser: 'oNobody', msgtype: 'text', text: { content: 'x' } }, 40003],
    [url, { touser: 42, msgtype: 'text', text: { content: 'x' } }, 40003],
    [url, { touser: XIAOMING, msgtype: 'text', text: { content: '' } }, 44004],
    [url, { touser: XIAOMING, msgtype: 'text' }, 44004],
    [url, { touser: XIAOMING, msgtype: 'text', text: { content: 7 } }, 44004]
  ]
  for (const [target, body, errcode] of cases) {
    const answer = typeof body === 'string'
      ? await request(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
      : await postJson(target, body)
    t.equal(answer.json.errcode, errcode, JSON.stringify(body))
  }
  t.equal((await postJson(url, { touser: XIAOMING, msgtype: 7 })).json.errcode, 40008, 'a non-string msgtype is no message type')
  t.equal((await postJson(url, { touser: XIAOMING, msgtype: 'toString' })).json.errcode, 40008, 'nor is an inherited property name')
  t.equal(platform.state.messages.length, 0)
})

test('each kind\'s own checks: media that exist, one article, a well-formed menu, mini program fields', async (t) => {
  const platform = await startPlatform(t)
  const url = await sendUrl(platform)
  const jpeg = Buffer.from([0xff, 0xd8, 0xff])
  const image = platform.state.media.add('temporary', { type: 'image', bytes: jpeg, filename: 'a.jpg', contentType: 'image/jpeg' }).mediaId
  const permanentImage = platform.state.media.add('permanent', { type: 'image', bytes: jpeg, filename: 'a.jpg', contentType: 'image/jpeg' }).mediaId
  const news = platform.state.media.addNews([{ title: 't' }]).mediaId
  const article = { title: 't', url: 'https://x.cn' }
  const cases: Array<[string, unknown, number]> = [
    ['image', { media_id: image }, 0],
    ['image', { media_id: permanentImage }, 0],
    ['image', { media_id: 'nope' }, 40007],
    ['image', null, 40007],
    ['voice', { media_id: 5 }, 40007],
    ['video', { media_id: image }, 40007],
    ['music', { musicurl: 'https://m.cn/a', hqmusicurl: 'https://m.cn/b', thumb_media_id: image }, 0],
    ['music', { musicurl: 'https://m.cn/a', thumb_media_id: image }, 47003],
    ['music', { musicurl: 'https://m.cn/a', hqmusicurl: 'https://m.cn/b' }, 40007],
    ['news', { articles: [article] }, 0],
    ['news', { articles: [article, article] }, 45008],
    ['news', { articles: [] }, 44003],
    ['news', {}, 44003],
    ['news', { articles: [{ title: 't' }] }, 47003],
    ['mpnews', { media_id: news }, 0],
    ['mpnews', { media_id: permanentImage }, 40007],
    ['mpnews', {}, 40007],
    ['mpnewsarticle', { article_id: '' }, 47003],
    ['msgmenu', { list: [{ id: '1', content: '是' }] }, 0],
    ['msgmenu', { list: [] }, 47003],
    ['msgmenu', { list: [{ id: '1' }] }, 47003],
    ['msgmenu', {}, 47003],
    ['wxcard', {}, 47003],
    ['miniprogrampage', { title: 't', appid: 'wx1', pagepath: 'p', thumb_media_id: image }, 0],
    ['miniprogrampage', { pagepath: 'p', thumb_media_id: image }, 40166],
    ['miniprogrampage', { appid: 'wx1', thumb_media_id: image }, 40165],
    ['miniprogrampage', { appid: 'wx1', pagepath: 'p' }, 40007],
    ['text', { content: '中'.repeat(682) + 'ab' }, 0],
    ['text', { content: '中'.repeat(682) + 'abc' }, 45002]
  ]
  for (const [msgtype, part, errcode] of cases) {
    const answer = await postJson(url, { touser: XIAOMING, msgtype, [msgtype]: part })
    t.equal(answer.json.errcode, errcode, `${msgtype} ${JSON.stringify(part)?.slice(0, 60)}`)
  }
  platform.state.followers.of(XIAOMING).blacklisted = true
  t.equal((await postJson(url, { touser: XIAOMING, msgtype: 'text', text: { content: 'x' } })).json.errcode, 43019, 'a blacklisted fan')
})

test('typing refusals: unknown fan, unknown command', async (t) => {
  const platform = await startPlatform(t)
  const url = (await sendUrl(platform)).replace('/send?', '/typing?')
  t.equal((await postJson(url, { touser: 'oNobody', command: 'Typing' })).json.errcode, 40003)
  t.equal((await postJson(url, { touser: 5, command: 'Typing' })).json.errcode, 40003)
  t.equal((await postJson(url, { touser: XIAOMING, command: 'typing' })).json.errcode, 45072)
  t.equal((await postJson(url, { touser: XIAOMING, command: 'CancelTyping' })).json.errcode, 0, 'cancelling when not typing is fine')
})
