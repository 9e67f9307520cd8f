import { test } from 'tap'
import { APP_ID, APP_SECRET, startPlatform } from '../../fixtures/platform-fixture.js'
import { postJson, request } from '../../fixtures/http-json.js'

const classicQuery = `grant_type=client_credential&appid=${APP_ID}&secret=${APP_SECRET}`
const stableBody = { grant_type: 'client_credential', appid: APP_ID, secret: APP_SECRET, force_refresh: false }

test('GET /cgi-bin/token: a new token each time; the previous one lives five more minutes, then 40001', async (t) => {
  let now = 1_000_000
  const platform = await startPlatform(t, { now: () => now })
  const first = await request(`${platform.url}/cgi-bin/token?${classicQuery}`)
  t.equal(first.status, 200)
  t.match(first.type, /^application\/json/)
  t.match(first.json, { access_token: /^[A-Za-z0-9_-]{100,}$/, expires_in: 7200 })
  const second = await request(`${platform.url}/cgi-bin/token?${classicQuery}`)
  t.not(second.json.access_token, first.json.access_token)
  t.equal(platform.state.credentials.check(first.json.access_token), undefined, 'old token valid in the overlap')
  now += 300_000
  t.match(platform.state.credentials.check(first.json.access_token), { errcode: 40001 })
  t.equal(platform.state.credentials.check(second.json.access_token), undefined)
  now += 7200_000
  t.match(platform.state.credentials.check(second.json.access_token), { errcode: 42001 }, 'past its lifetime: expired')
})

test('GET /cgi-bin/token errors: 40002, 40013, 40125 as HTTP 200 text/plain with a rid', async (t) => {
  const platform = await startPlatform(t)
  const cases: Array<[string, number]> = [
    [`grant_type=x&appid=${APP_ID}&secret=${APP_SECRET}`, 40002],
    [`grant_type=client_credential&appid=wxother&secret=${APP_SECRET}`, 40013],
    [`grant_type=client_credential&appid=${APP_ID}&secret=nope`, 40125],
    [`grant_type=client_credential&appid=${APP_ID}&appid=${APP_ID}&secret=${APP_SECRET}`, 40013]
  ]
  for (const [query, errcode] of cases) {
    const answer = await request(`${platform.url}/cgi-bin/token?${query}`)
    t.equal(answer.status, 200)
    t.equal(answer.type, 'text/plain')
    t.equal(answer.json.errcode, errcode)
    t.match(answer.json.errmsg, / rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/)
  }
})

test('POST /cgi-bin/stable_token: same token until five minutes before expiry, isolated from /cgi-bin/token', async (t) => {
  let now = 1_000_000
  const platform = await startPlatform(t, { now: () => now })
  const first = await postJson(`${platform.url}/cgi-bin/stable_token`, stableBody)
  t.match(first.json, { access_token: String, expires_in: 7200 })
  now += 1000_000
  const same = await postJson(`${platform.url}/cgi-bin/stable_token`, stableBody)
  t.equal(same.json.access_token, first.json.access_token)
  t.equal(same.json.expires_in, 6200)
  await request(`${platform.url}/cgi-bin/token?${classicQuery}`)
  t.equal(platform.state.credentials.check(first.json.access_token), undefined, 'a classic fetch does not touch it')
  now += 6200_000 - 300_000
  const renewed = await postJson(`${platform.url}/cgi-bin/stable_token`, stableBody)
  t.not(renewed.json.access_token, first.json.access_token, 'renewed in the last five minutes')
  t.equal(platform.state.credentials.check(first.json.access_token), undefined, 'old one runs out its time')
})

test('stable_token force_refresh invalidates the previous token at once', async (t) => {
  const platform = await startPlatform(t)
  const first = await postJson(`${platform.url}/cgi-bin/stable_token`, stableBody)
  const forced = await postJson(`${platform.url}/cgi-bin/stable_token`, { ...stableBody, force_refresh: true })
  t.not(forced.json.access_token, first.json.access_token)
  t.match(platform.state.credentials.check(first.json.access_token), { errcode: 40001 })
  t.same(platform.state.credentials.validTokens(), [forced.json.access_token])
  const again = await postJson(`${platform.url}/cgi-bin/stable_token`, { ...stableBody, force_refresh: true })
  t.not(again.json.access_token, forced.json.access_token)
})

test('stable_token after expireToken issues a new token', async (t) => {
  const platform = await startPlatform(t)
  const first = await postJson(`${platform.url}/cgi-bin/stable_token`, stableBody)
  t.ok(platform.state.expireToken(first.json.access_token))
  const next = await postJson(`${platform.url}/cgi-bin/stable_token`, stableBody)
  t.not(next.json.access_token, first.json.access_token)
  t.match(platform.state.credentials.check(first.json.access_token), { errcode: 42001 })
})

test('stable_token errors: not JSON → 47001; wrong fields → 40002/40013/40125', async (t) => {
  const platform = await startPlatform(t)
  const url = `${platform.url}/cgi-bin/stable_token`
  t.equal((await request(url, { method: 'POST', body: 'grant_type=client_credential' })).json.errcode, 47001)
  t.equal((await request(url, { method: 'POST' })).json.errcode, 47001, 'no body')
  t.equal((await postJson(url, ['x'])).json.errcode, 47001, 'an array')
  t.equal((await postJson(url, { ...stableBody, grant_type: 'x' })).json.errcode, 40002)
  t.equal((await postJson(url, { ...stableBody, appid: 'wx' })).json.errcode, 40013)
  t.equal((await postJson(url, { ...stableBody, secret: 'x' })).json.errcode, 40125)
})

test('GET /cgi-bin/ticket/getticket needs a valid access_token and a known type', async (t) => {
  const platform = await startPlatform(t)
  const token = (await postJson(`${platform.url}/cgi-bin/stable_token`, stableBody)).json.access_token as string
  const ticket = await request(`${platform.url}/cgi-bin/ticket/getticket?access_token=${token}&type=jsapi`)
  t.match(ticket.json, { errcode: 0, errmsg: 'ok', ticket: String, expires_in: 7200 })
  t.ok(platform.state.credentials.ticketIsValid(ticket.json.ticket))
  t.notOk(platform.state.credentials.ticketIsValid('unknown'))
  t.same(platform.state.credentials.validTickets(), [ticket.json.ticket])
  t.ok(platform.state.expireToken(ticket.json.ticket))
  t.notOk(platform.state.credentials.ticketIsValid(ticket.json.ticket))
  t.same(platform.state.credentials.validTickets(), [], 'an expired ticket no longer signs')
  t.equal((await request(`${platform.url}/cgi-bin/ticket/getticket?access_token=${token}&type=wx_card`)).json.errcode, 0)
  t.equal((await request(`${platform.url}/cgi-bin/ticket/getticket?access_token=${token}&type=other`)).json.errcode, 40097)
  t.equal((await request(`${platform.url}/cgi-bin/ticket/getticket?type=jsapi`)).json.errcode, 41001)
  t.equal((await request(`${platform.url}/cgi-bin/ticket/getticket?access_token=&type=jsapi`)).json.errcode, 41001)
  t.equal((await request(`${platform.url}/cgi-bin/ticket/getticket?access_token=forged&type=jsapi`)).json.errcode, 40001)
  t.equal(platform.state.callCount('/cgi-bin/ticket/getticket'), 6)
  t.notOk(platform.state.expireToken('never-issued'))
})
