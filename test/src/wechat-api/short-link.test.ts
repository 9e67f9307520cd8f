import { test } from 'tap'
import { apiFor, startPlatform } from '../../fixtures/platform-fixture.js'
import { rejectionOf } from '../../fixtures/rejection-of.js'

test('a short key for up to 4 KB, fetched back with its remaining lifetime', async (t) => {
  let now = 1_700_000_000_000
  const platform = await startPlatform(t, { now: () => now })
  const { shortKeys } = apiFor(platform).api.management
  const longData = JSON.stringify({ page: 'order', id: 42, 说明: '长信息' })
  const key = await shortKeys.generate(longData, 86400)
  t.match(key, /^[0-9a-zA-Z]{15}$/)
  t.equal(platform.state.requests.last('/cgi-bin/shorten/gen')?.body, JSON.stringify({ long_data: longData, expire_seconds: 86400 }))
  now += 100_000
  t.same(await shortKeys.fetch(key), { longData, createTime: 1_700_000_000, expireSeconds: 86300 })
  t.equal(platform.state.requests.last('/cgi-bin/shorten/fetch')?.body, `{"short_key":"${key}"}`)
  now += 86_400_000
  t.match(await rejectionOf(shortKeys.fetch(key)), { errcode: 9410012, api: 'shorten/fetch' })
})

test('the default lifetime is 30 days; limits are checked before sending', async (t) => {
  const platform = await startPlatform(t)
  const { shortKeys } = apiFor(platform).api.management
  await shortKeys.generate('x'.repeat(4096))
  t.match(platform.state.requests.last('/cgi-bin/shorten/gen')?.body, /"expire_seconds":2592000\}$/)
  for (const attempt of [shortKeys.generate('x'.repeat(4097)), shortKeys.generate(''), shortKeys.generate('x', 2_592_001), shortKeys.generate('x', 0)]) {
    t.match(await rejectionOf(attempt), { kind: 'invalid-request', api: 'shorten/gen' })
  }
  t.equal(platform.state.callCount('/cgi-bin/shorten/gen'), 1)
})
