import { test } from 'tap'
import { createMemoryStore } from '../../../src/store/memory-store.js'
import { apiFor, startPlatform } from '../../fixtures/platform-fixture.js'
import { rejectionOf } from '../../fixtures/rejection-of.js'

const TICKET = '/cgi-bin/ticket/getticket'

test('the jsapi ticket is fetched once, with a valid token, and cached across instances', async (t) => {
  const platform = await startPlatform(t)
  const store = createMemoryStore()
  const first = apiFor(platform, { store })
  const second = apiFor(platform, { store })
  const tickets = await Promise.all(Array.from({ length: 20 }, async (_, i) => await (i % 2 === 0 ? first : second).api.jsapiTicket()))
  t.equal(new Set(tickets).size, 1)
  t.equal(platform.state.callCount(TICKET), 1)
  t.ok(platform.state.credentials.ticketIsValid(tickets[0] as string))
  t.equal(await first.api.jsapiTicket(), tickets[0])
  t.equal(platform.state.callCount(TICKET), 1, 'served from the store')
  t.equal(await store.get('wechat:wx0123456789abcdef:jsapi-ticket'), tickets[0])
})

test('getticket answering 40001 refreshes the token and retries inside the ticket fetch', async (t) => {
  const platform = await startPlatform(t)
  const { api } = apiFor(platform)
  platform.state.expireToken(await api.accessToken())
  t.ok(await api.jsapiTicket())
  t.equal(platform.state.callCount(TICKET), 2)
  t.equal(platform.state.callCount('/cgi-bin/stable_token'), 2)
})

test('a quota error on getticket cools the ticket endpoint down', async (t) => {
  const platform = await startPlatform(t)
  const { api } = apiFor(platform)
  platform.state.failNext(TICKET, { errcode: 45009, errmsg: 'reach max api daily quota limit' })
  t.match(await rejectionOf(api.jsapiTicket()), { errcode: 45009 })
  t.match(await rejectionOf(api.jsapiTicket()), { errcode: 45009, message: /cooling down/ })
  t.equal(platform.state.callCount(TICKET), 1)
  t.ok(await api.accessToken(), 'the access token is unaffected')
})

test('a getticket answer without a ticket is a bad response', async (t) => {
  const platform = await startPlatform(t)
  const { api } = apiFor(platform)
  platform.state.failNext(TICKET, { body: '{"errcode":0,"errmsg":"ok","expires_in":7200}' })
  t.match(await rejectionOf(api.jsapiTicket()), { kind: 'bad-response', path: TICKET })
  platform.state.failNext(TICKET, { body: '{"errcode":0,"errmsg":"ok","ticket":"t","expires_in":0}' })
  t.match(await rejectionOf(api.jsapiTicket()), { kind: 'bad-response', path: TICKET }, 'a zero lifetime is no lifetime')
})

test('a token error that survives the retry is not cooled down: the next call tries again', async (t) => {
  const platform = await startPlatform(t)
  const { api } = apiFor(platform)
  platform.state.failNext(TICKET, { errcode: 40001, errmsg: 'invalid credential' })
  platform.state.failNext(TICKET, { errcode: 40001, errmsg: 'invalid credential' })
  t.match(await rejectionOf(api.jsapiTicket()), { kind: 'api', errcode: 40001 })
  t.ok(await api.jsapiTicket())
  t.equal(platform.state.callCount(TICKET), 3)
})
