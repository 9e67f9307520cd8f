import { test } from 'tap'
import { apiFor, startPlatform } from '../../fixtures/platform-fixture.js'
import { rejectionOf } from '../../fixtures/rejection-of.js'

const XIAOMING = 'oSandboxFan00000000000000001'
const WANGFANG = 'oSandboxFan00000000000000002'

test('blacklist, list in pages, release', async (t) => {
  const platform = await startPlatform(t)
  const { blacklist } = apiFor(platform).api.management
  await blacklist.add([XIAOMING, WANGFANG])
  t.equal(platform.state.requests.last('/cgi-bin/tags/members/batchblacklist')?.body, `{"openid_list":["${XIAOMING}","${WANGFANG}"]}`)
  t.same(await blacklist.page(), { openids: [XIAOMING, WANGFANG], nextOpenid: WANGFANG, total: 2 })
  t.equal(platform.state.requests.last('/cgi-bin/tags/members/getblacklist')?.body, '{"begin_openid":""}')
  await blacklist.remove([XIAOMING])
  t.equal(platform.state.requests.last('/cgi-bin/tags/members/batchunblacklist')?.body, `{"openid_list":["${XIAOMING}"]}`)
  const all: string[] = []
  for await (const openid of blacklist.all()) all.push(openid)
  t.same(all, [WANGFANG])
  t.notOk(platform.state.followers.of(XIAOMING).blacklisted)
})

test('1 to 20 openids a call, checked before sending; unknown fans are 40003', async (t) => {
  const platform = await startPlatform(t)
  const { blacklist } = apiFor(platform).api.management
  t.match(await rejectionOf(blacklist.add([])), { kind: 'invalid-request', api: 'tags/members/batchblacklist' })
  t.match(await rejectionOf(blacklist.remove(Array.from({ length: 21 }, () => XIAOMING))), { kind: 'invalid-request', message: /1 to 20/ })
  t.match(await rejectionOf(blacklist.add(['oNobody'])), { errcode: 40003 })
})
