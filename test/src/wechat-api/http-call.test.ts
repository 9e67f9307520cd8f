import { test } from 'tap'
import type { Test } from 'tap'
import { callWeChat, createWeChatCaller, downloadWeChat } from '../../../src/wechat-api/http-call.js'
import { WeChatApiError } from '../../../src/wechat-api/wechat-api-error.js'
import { startPlatformApi } from '../../../sandbox/platform/platform-api.js'
import { APP_ID, APP_SECRET, startPlatform } from '../../fixtures/platform-fixture.js'
import { rejectionOf } from '../../fixtures/rejection-of.js'

const TOKEN = '/cgi-bin/token'
const tokenRequest = { method: 'GET', path: TOKEN, query: { grant_type: 'client_credential', appid: APP_ID, secret: APP_SECRET } } as const

function assertNoQuery (t: Test, error: unknown): void {
  t.ok(error instanceof WeChatApiError)
  const text = `${(error as Error).message} ${JSON.stringify(error)}`
  t.notMatch(text, APP_SECRET, 'no secret')
  t.notMatch(text, /secret=|access_token=|\?/, 'no query')
}

test('a successful call returns the JSON object', async (t) => {
  const platform = await startPlatform(t)
  const json = await callWeChat({ apiBase: `${platform.url}/` }, tokenRequest)
  t.match(json, { access_token: String, expires_in: 7200 })
})

test('an errcode in a text/plain HTTP 200 body is a typed api error, scrubbed and without the query', async (t) => {
  const platform = await startPlatform(t)
  const call = createWeChatCaller({ apiBase: platform.url })
  const error = await call({ ...tokenRequest, query: { ...tokenRequest.query, appid: 'wx-wrong' } }).catch((e: unknown) => e)
  t.match(error, { kind: 'api', errcode: 40013, path: TOKEN, errmsg: /^invalid appid rid: / })
  assertNoQuery(t, error)
})

test('an errmsg echoing a token is scrubbed; a missing errmsg is empty; a string errcode is a number', async (t) => {
  const platform = await startPlatform(t)
  const call = createWeChatCaller({ apiBase: platform.url })
  platform.state.failNext(TOKEN, { body: `{"errcode":40001,"errmsg":"invalid credential ${'A'.repeat(140)} hint: [x]"}` })
  t.match(await rejectionOf(call(tokenRequest)), { errcode: 40001, errmsg: 'invalid credential [redacted] hint: [x]' })
  platform.state.failNext(TOKEN, { body: '{"errcode":"45009"}' })
  t.match(await rejectionOf(call(tokenRequest)), { errcode: 45009, errmsg: '' })
  platform.state.failNext(TOKEN, { body: `{"errcode":1,"errmsg":"${'word '.repeat(40)}"}` })
  const long = await rejectionOf(call(tokenRequest)) as WeChatApiError
  t.equal(long.errmsg?.length, 121, 'truncated to 120 characters and an ellipsis')
})

test('errcode 0 is success', async (t) => {
  const platform = await startPlatform(t)
  platform.state.failNext(TOKEN, { body: '{"errcode":0,"errmsg":"ok","msgid":200228332000000001234}' })
  const json = await callWeChat({ apiBase: platform.url }, tokenRequest)
  t.equal(json.msgid, '200228332000000001234', 'a 64-bit msgid is kept exactly, as a string')
})

test('an HTML page with HTTP 200 is a non-json error with a scrubbed snippet', async (t) => {
  const platform = await startPlatform(t)
  platform.state.failNext(TOKEN, { html: '<html><head><title>502 Bad Gateway</title></head></html>' })
  const error = await callWeChat({ apiBase: platform.url }, tokenRequest).catch((e: unknown) => e)
  t.match(error, { kind: 'non-json', path: TOKEN, message: /body starts "<html><head><title>502 Bad Gateway/ })
  assertNoQuery(t, error)
})

test('truncated JSON is a non-json error', async (t) => {
  const platform = await startPlatform(t)
  platform.state.failNext(TOKEN, { truncate: true })
  const error = await callWeChat({ apiBase: platform.url }, tokenRequest).catch((e: unknown) => e)
  t.match(error, { kind: 'non-json' })
  assertNoQuery(t, error)
})

test('JSON that is not an object is a bad response', async (t) => {
  const platform = await startPlatform(t)
  for (const body of ['[1,2]', 'null', '42']) {
    platform.state.failNext(TOKEN, { body, contentType: 'application/json' })
    t.match(await rejectionOf(callWeChat({ apiBase: platform.url }, tokenRequest)), { kind: 'bad-response' }, body)
  }
})

test('a non-2xx status is an http error', async (t) => {
  const platform = await startPlatform(t)
  const error = await callWeChat({ apiBase: platform.url }, { method: 'GET', path: '/cgi-bin/nope', query: { access_token: 'secret-token' } }).catch((e: unknown) => e)
  t.match(error, { kind: 'http', status: 404, path: '/cgi-bin/nope', message: /HTTP 404/ })
  assertNoQuery(t, error)
})

test('no answer: the call is aborted at the configured timeout', async (t) => {
  const platform = await startPlatform(t)
  platform.state.failNext(TOKEN, { delayMs: 30_000 })
  const started = Date.now()
  const error = await callWeChat({ apiBase: platform.url, timeoutMs: 200 }, tokenRequest).catch((e: unknown) => e)
  t.match(error, { kind: 'timeout', message: /no answer within 200 ms/ })
  t.ok(Date.now() - started < 10_000, 'long before the 30 s delay')
  assertNoQuery(t, error)
})

test('connection refused is a network error', async (t) => {
  const platform = await startPlatformApi({ appId: APP_ID, appSecret: APP_SECRET })
  await platform.close()
  const error = await callWeChat({ apiBase: platform.url }, tokenRequest).catch((e: unknown) => e)
  t.match(error, { kind: 'network', message: /ECONNREFUSED/ })
  assertNoQuery(t, error)
})

test('an unparsable base URL is a network error; fetch\'s message quoting the URL is not copied', async (t) => {
  const error = await callWeChat({ apiBase: 'http://[::1' }, tokenRequest).catch((e: unknown) => e)
  t.match(error, { kind: 'network', message: /ERR_INVALID_URL/ })
  assertNoQuery(t, error)
})

test('a failure without a cause code is a network error too', async (t) => {
  // fetch rejects an unknown scheme with a cause that has no code.
  const error = await callWeChat({ apiBase: 'ftp://api.example' }, tokenRequest).catch((e: unknown) => e)
  t.match(error, { kind: 'network', message: /connection failed/ })
})

test('the default deadline is 3 s', async (t) => {
  const platform = await startPlatform(t)
  platform.state.failNext(TOKEN, { delayMs: 30_000 })
  const error = await callWeChat({ apiBase: platform.url }, tokenRequest).catch((e: unknown) => e)
  t.match(error, { kind: 'timeout', message: /3000 ms/ })
})

test('downloads: a file with its type and Content-Disposition name, or the JSON WeChat sends instead', async (t) => {
  const platform = await startPlatform(t)
  const { media } = platform.state
  const stored = media.add('temporary', { type: 'image', bytes: Buffer.from([0xff, 0xd8, 0xff, 1, 2]), filename: 'a.jpg', contentType: 'image/jpeg' })
  const token = platform.state.credentials.issueClassic(platform.state.appId).value
  const get = { method: 'GET', path: '/cgi-bin/media/get', query: { access_token: token, media_id: stored.mediaId } } as const
  const file = await downloadWeChat({ apiBase: platform.url }, get)
  t.same(file, { kind: 'file', file: { bytes: Buffer.from([0xff, 0xd8, 0xff, 1, 2]), contentType: 'image/jpeg', filename: `${stored.mediaId}.jpg` } })
  platform.state.failNext('/cgi-bin/media/get', { body: '{"video_url":"http://v.cn/a.mp4"}', contentType: 'application/json; charset=utf-8' })
  t.same(await downloadWeChat({ apiBase: platform.url }, get), { kind: 'json', json: { video_url: 'http://v.cn/a.mp4' } })
  t.match(await rejectionOf(downloadWeChat({ apiBase: platform.url }, { ...get, query: { access_token: token, media_id: 'nope' } })), { kind: 'api', errcode: 40007, api: 'media/get' })
  platform.state.failNext('/cgi-bin/media/get', { body: 'raw', contentType: 'application/octet-stream' })
  t.same(await downloadWeChat({ apiBase: platform.url }, get), { kind: 'file', file: { bytes: Buffer.from('raw'), contentType: 'application/octet-stream', filename: undefined } })
})

test('a multipart form is sent as the body, with fetch\'s own boundary; a request may have its own deadline', async (t) => {
  const platform = await startPlatform(t)
  const token = platform.state.credentials.issueClassic(platform.state.appId).value
  const form = new FormData()
  form.append('media', new Blob([new Uint8Array([0xff, 0xd8, 0xff])], { type: 'image/jpeg' }), 'x.jpg')
  const json = await callWeChat({ apiBase: platform.url }, { method: 'POST', path: '/cgi-bin/media/upload', query: { access_token: token, type: 'image' }, form })
  t.match(json, { type: 'image', media_id: String })
  platform.state.failNext(TOKEN, { delayMs: 30_000 })
  t.match(await rejectionOf(callWeChat({ apiBase: platform.url, timeoutMs: 10_000 }, { ...tokenRequest, timeoutMs: 100 })), { kind: 'timeout', message: /100 ms/ })
})

test('a download without a Content-Type is a file of no stated type', async (t) => {
  const platform = await startPlatform(t)
  platform.state.failNext('/cgi-bin/media/get', { bare: 'abc' })
  const answer = await downloadWeChat({ apiBase: platform.url }, { method: 'GET', path: '/cgi-bin/media/get' })
  t.same(answer, { kind: 'file', file: { bytes: Buffer.from('abc'), contentType: '', filename: undefined } })
})
