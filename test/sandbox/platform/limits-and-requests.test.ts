import { test } from 'tap'
import { apiRoute } from '../../../sandbox/platform/api-route.js'
import { createApiLimits } from '../../../sandbox/platform/api-limits.js'
import { createPlatformApi } from '../../../sandbox/platform/platform-api.js'
import { createRequestLog } from '../../../sandbox/platform/request-log.js'
import { APP_ID, APP_SECRET, startPlatform } from '../../fixtures/platform-fixture.js'
import { callApi, errcodeOf, tokenOf } from '../../fixtures/platform-calls.js'
import { request } from '../../fixtures/http-json.js'

test('a denied API answers 48001 until allowed again; a bad token is still 40001 first', async (t) => {
  const platform = await startPlatform(t)
  platform.state.limits.deny('/cgi-bin/tags/get')
  t.equal(await errcodeOf(platform, '/cgi-bin/tags/get'), 48001)
  t.equal((await request(`${platform.url}/cgi-bin/tags/get?access_token=forged`)).json.errcode, 40001)
  platform.state.limits.allow('/cgi-bin/tags/get')
  t.equal(await errcodeOf(platform, '/cgi-bin/tags/get'), 0)
})

test('a daily quota counts calls until midnight Beijing time, then starts again; it can be lifted', async (t) => {
  // 2024-05-01 23:59:00 in Beijing is 15:59 UTC.
  let now = Date.UTC(2024, 4, 1, 15, 59)
  const limits = createApiLimits(() => now)
  limits.setDailyQuota('/x', 2)
  t.equal(limits.admit('/x'), undefined)
  t.equal(limits.admit('/x'), undefined)
  t.match(limits.admit('/x'), { errcode: 45009 })
  t.equal(limits.admit('/other'), undefined, 'other APIs have their own quota')
  now += 60_000
  t.equal(limits.admit('/x'), undefined, 'a new day in Beijing')
  limits.setDailyQuota('/x', undefined)
  for (let i = 0; i < 5; i++) t.equal(limits.admit('/x'), undefined)
})

test('API routes: 41001 without a token, 44002 for an empty body, 47001 for a body that is not a JSON object', async (t) => {
  const platform = await startPlatform(t)
  const token = await tokenOf(platform)
  const url = `${platform.url}/cgi-bin/tags/create?access_token=${token}`
  t.equal((await request(`${platform.url}/cgi-bin/tags/create`, { method: 'POST', body: '{}' })).json.errcode, 41001)
  t.equal((await request(url, { method: 'POST', body: '  ' })).json.errcode, 44002)
  for (const body of ['[1]', 'null', '{"tag":', '"x"']) t.equal((await request(url, { method: 'POST', body })).json.errcode, 47001, body)
  const form = new FormData()
  form.append('tag', 'x')
  t.equal((await request(url, { method: 'POST', body: form })).json.errcode, 47001, 'a multipart body to a JSON API')
})

test('a handler bug is a 500, not a WeChat answer', async (t) => {
  const { app, state } = createPlatformApi({ appId: APP_ID, appSecret: APP_SECRET })
  t.teardown(async () => { await app.close() })
  apiRoute(app, state, 'GET', '/cgi-bin/broken', () => { throw new Error('bug') })
  const token = state.credentials.issueClassic(state.appId).value
  const answer = await app.inject({ method: 'GET', url: `/cgi-bin/broken?access_token=${token}` })
  t.equal(answer.statusCode, 500)
})

test('every API request is recorded: raw body, query and raw query without access_token; the console is not', async (t) => {
  let now = 42
  const platform = await startPlatform(t, { now: () => now })
  await callApi(platform, '/cgi-bin/tags/create', { tag: { name: '标签' } })
  await callApi(platform, '/cgi-bin/user/get', undefined, { next_openid: 'a+b' })
  const [, create, list] = platform.state.requests.entries
  t.match(create, { method: 'POST', path: '/cgi-bin/tags/create', query: {}, rawQuery: '', body: '{"tag":{"name":"标签"}}', at: 42 })
  t.match(list, { method: 'GET', path: '/cgi-bin/user/get', query: { next_openid: 'a+b' }, rawQuery: 'next_openid=a%2Bb', body: undefined })
  t.equal(platform.state.requests.last('/cgi-bin/nothing'), undefined)
  now = 43
  await request(`${platform.url}/cgi-bin/user/get?access_token=${await tokenOf(platform)}&x=1&x=2`)
  t.same(platform.state.requests.last('/cgi-bin/user/get')?.query, {}, 'a repeated parameter is not one value')
  const before = platform.state.requests.entries.length
  await request(`${platform.url}/console/anything`)
  t.equal(platform.state.requests.entries.length, before)
})

test('the log keeps the latest thousand requests', async (t) => {
  const log = createRequestLog()
  for (let i = 0; i < 1005; i++) log.record({ method: 'GET', path: `/p${i}`, query: {}, rawQuery: '', body: undefined, at: i })
  t.equal(log.entries.length, 1000)
  t.equal(log.entries[0]?.path, '/p5')
  t.equal(log.last('/p1004')?.at, 1004)
})
