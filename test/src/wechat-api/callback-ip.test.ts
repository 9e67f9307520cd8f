import { test } from 'tap'
import { apiFor, startPlatform } from '../../fixtures/platform-fixture.js'
import { rejectionOf } from '../../fixtures/rejection-of.js'

test('getcallbackip: the platform\'s list, fetched with the access token', async (t) => {
  const platform = await startPlatform(t)
  const { api } = apiFor(platform)
  t.same(await api.management.callbackIps(), ['127.0.0.1', '::1'], 'the fake platform lists loopback by default')
  platform.state.callbackIps.splice(0, Infinity, '101.226.103.0/25', '2408:8000::/32')
  t.same(await api.management.callbackIps(), ['101.226.103.0/25', '2408:8000::/32'])
  t.equal(platform.state.requests.last('/cgi-bin/getcallbackip')?.method, 'GET', 'a GET (the platform refuses a missing or wrong access_token)')
})

test('getcallbackip: a WeChat error or an answer without ip_list is an error, not a list', async (t) => {
  const platform = await startPlatform(t)
  const { api } = apiFor(platform)
  platform.state.failNext('/cgi-bin/getcallbackip', { errcode: -1, errmsg: 'system error' })
  t.match(await rejectionOf(api.management.callbackIps()), { errcode: -1 })
  platform.state.failNext('/cgi-bin/getcallbackip', { body: '{"ip_list":"127.0.0.1"}' })
  t.match(await rejectionOf(api.management.callbackIps()), { kind: 'bad-response' })
})
