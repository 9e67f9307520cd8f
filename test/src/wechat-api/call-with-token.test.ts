import { test } from 'tap'
import { createMemoryStore } from '../../../src/store/memory-store.js'
import { apiFor, startPlatform } from '../../fixtures/platform-fixture.js'
import { rejectionOf } from '../../fixtures/rejection-of.js'

const STABLE = '/cgi-bin/stable_token'
const SEND = '/cgi-bin/message/custom/send'
const FAN = 'oSandboxFan00000000000000001'

test('a 40001 on one call → one refresh and one retry that succeeds', async (t) => {
  const platform = await startPlatform(t)
  const { api, counters } = apiFor(platform)
  const stale = await api.accessToken()
  platform.state.failNext(SEND, { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' })
  await api.sendCustomText(FAN, '第一条')
  t.equal(platform.state.callCount(SEND), 2, 'the call was retried once')
  t.equal(platform.state.callCount(STABLE), 2, 'the token was fetched again once')
  t.same(counters.errors, [40001])
  t.equal(platform.state.messages.length, 1)
  // stable_token returns the same still-valid token: the refresh is honest, not a new token.
  t.equal(await api.accessToken(), stale)
})

for (const errcode of [42001, 40014]) {
  test(`errcode ${errcode} is treated as a rejected token too`, async (t) => {
    const platform = await startPlatform(t)
    const { api } = apiFor(platform)
    await api.accessToken()
    platform.state.failNext(SEND, { errcode, errmsg: 'token trouble' })
    await api.sendCustomText(FAN, 'hi')
    t.equal(platform.state.callCount(SEND), 2)
    t.equal(platform.state.callCount(STABLE), 2)
  })
}

test('an expired token used by 20 concurrent calls on two instances → exactly one token fetch', async (t) => {
  const platform = await startPlatform(t)
  const store = createMemoryStore()
  const first = apiFor(platform, { store })
  const second = apiFor(platform, { store })
  const expired = await first.api.accessToken()
  platform.state.expireToken(expired)
  await Promise.all(Array.from({ length: 20 }, async (_, i) => {
    await (i % 2 === 0 ? first : second).api.sendCustomText(FAN, `message ${i}`)
  }))
  t.equal(platform.state.callCount(STABLE), 2, 'one fetch for the first token, one refresh')
  t.equal(platform.state.messages.length, 20)
  t.equal(platform.state.callCount(SEND), 40, 'each call failed once and was retried once')
  t.not(await first.api.accessToken(), expired)
})

test('a call that fails with a token the store has already replaced uses the newer one without a fetch', async (t) => {
  const platform = await startPlatform(t)
  const store = createMemoryStore()
  const { api } = apiFor(platform, { store })
  const key = 'wechat:wx0123456789abcdef:access-token'
  const old = await api.accessToken()
  // Another instance refreshed meanwhile: a valid classic token now sits in the shared store.
  const other = apiFor(platform, { store: createMemoryStore(), tokenApi: 'classic' })
  const newer = await other.api.accessToken()
  platform.state.failNext(SEND, { errcode: 40001, errmsg: 'not latest' })
  const sending = api.sendCustomText(FAN, 'hi')
  await store.set(key, newer, 60_000)
  await sending
  t.equal(platform.state.callCount(STABLE), 1, 'no refresh: the failed token was no longer current')
  t.equal(await store.get(key), newer)
  t.not(old, newer)
})

test('a second rejection after the retry surfaces as the error', async (t) => {
  const platform = await startPlatform(t)
  const { api } = apiFor(platform)
  platform.state.failNext(SEND, { errcode: 40001, errmsg: 'a' })
  platform.state.failNext(SEND, { errcode: 40001, errmsg: 'b' })
  t.match(await rejectionOf(api.sendCustomText(FAN, 'hi')), { kind: 'api', errcode: 40001 })
  t.equal(platform.state.callCount(SEND), 2, 'retried once, not more')
})

test('other errors are not retried', async (t) => {
  const platform = await startPlatform(t)
  const { api } = apiFor(platform)
  platform.state.failNext(SEND, { errcode: -1, errmsg: 'system error' })
  t.match(await rejectionOf(api.sendCustomText(FAN, 'hi')), { errcode: -1 })
  t.equal(platform.state.callCount(SEND), 1)
  platform.state.failNext(SEND, { html: '<html></html>' })
  t.match(await rejectionOf(api.sendCustomText(FAN, 'hi')), { kind: 'non-json' })
  t.equal(platform.state.callCount(SEND), 2)
})

test('callWithToken passes the query and the JSON body, and the token, to WeChat', async (t) => {
  const platform = await startPlatform(t)
  const { api } = apiFor(platform)
  const json = await api.callWithToken('/cgi-bin/ticket/getticket', { method: 'GET', query: { type: 'wx_card' } })
  t.match(json, { errcode: 0, ticket: String })
  t.ok(platform.state.credentials.ticketIsValid(json.ticket as string))
})

test('management calls share the token retry: a rejected token once, then the call succeeds', async (t) => {
  const platform = await startPlatform(t)
  const { api } = apiFor(platform)
  await api.accessToken()
  platform.state.failNext('/cgi-bin/tags/get', { errcode: 42001, errmsg: 'access_token expired' })
  t.match(await api.management.tags.list(), [{ id: 2 }])
  t.equal(platform.state.callCount('/cgi-bin/tags/get'), 2)
  t.equal(platform.state.callCount(STABLE), 2)
})

test('a download that fails is counted as an error, like any call; an HTML page is no file', async (t) => {
  const platform = await startPlatform(t)
  const { api, counters } = apiFor(platform)
  platform.state.failNext('/cgi-bin/media/get', { html: '<html><body>502 Bad Gateway</body></html>' })
  t.match(await rejectionOf(api.management.media.download('x')), { kind: 'non-json' })
  t.same(counters.errors, ['non-json'])
})
