import { test } from 'tap'
import { startPlatform } from '../../fixtures/platform-fixture.js'
import { callApi, errcodeOf } from '../../fixtures/platform-calls.js'

const FAN = 'oSandboxFan00000000000000001'

test('batchblacklist: 1 to 20 known fans; getblacklist pages from begin_openid', async (t) => {
  const platform = await startPlatform(t)
  const ADD = '/cgi-bin/tags/members/batchblacklist'
  t.equal(await errcodeOf(platform, ADD, {}), 40032)
  t.equal(await errcodeOf(platform, ADD, { openid_list: Array.from({ length: 21 }, () => FAN) }), 40032)
  t.equal(await errcodeOf(platform, ADD, { openid_list: [FAN, 'oNobody'] }), 40003)
  t.notOk(platform.state.followers.of(FAN).blacklisted, 'nothing changes when one openid is wrong')
  t.equal(await errcodeOf(platform, ADD, { openid_list: [FAN] }), 0)
  t.same((await callApi(platform, '/cgi-bin/tags/members/getblacklist', {})).json, { total: 1, count: 1, data: { openid: [FAN] }, next_openid: FAN })
  t.same((await callApi(platform, '/cgi-bin/tags/members/getblacklist', { begin_openid: FAN })).json, { total: 1, count: 0, next_openid: '' })
  t.equal(await errcodeOf(platform, '/cgi-bin/tags/members/getblacklist', { begin_openid: 'oNobody' }), 40003)
})
