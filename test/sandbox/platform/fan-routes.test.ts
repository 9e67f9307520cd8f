import { test } from 'tap'
import { openidPage, pageJson } from '../../../sandbox/platform/openid-pages.js'
import { startPlatform } from '../../fixtures/platform-fixture.js'
import { callApi, errcodeOf } from '../../fixtures/platform-calls.js'

const FAN = 'oSandboxFan00000000000000001'
const WANGFANG = 'oSandboxFan00000000000000002'

test('pages of 10,000: the last page names its last openid, the one after is empty without data', async (t) => {
  const openids = Array.from({ length: 10_001 }, (_, i) => `o${i}`)
  const first = openidPage(openids, undefined)
  t.match(first, { count: 10_000, next: 'o9999' })
  t.same(openidPage(openids, 'o9999'), { count: 1, openids: ['o10000'], next: 'o10000' })
  const end = openidPage(openids, 'o10000')
  t.same(end, { count: 0, openids: [], next: '' })
  t.same(pageJson(end!), { count: 0, next_openid: '' })
  t.same(pageJson({ count: 1, openids: ['o1'], next: 'o1' }), { count: 1, data: { openid: ['o1'] }, next_openid: 'o1' })
  t.equal(openidPage(openids, 'oUnknown'), undefined)
  t.match(openidPage(openids, ''), { count: 10_000 })
})

test('user/get, user/info and batchget refusals', async (t) => {
  const platform = await startPlatform(t)
  t.equal(await errcodeOf(platform, '/cgi-bin/user/get', undefined, { next_openid: 'oUnknown' }), 40003)
  t.equal(await errcodeOf(platform, '/cgi-bin/user/info'), 40003)
  const BATCH = '/cgi-bin/user/info/batchget'
  t.equal(await errcodeOf(platform, BATCH, { user_list: [] }), 40032)
  t.equal(await errcodeOf(platform, BATCH, {}), 40032)
  t.equal(await errcodeOf(platform, BATCH, { user_list: Array.from({ length: 101 }, () => ({ openid: FAN })) }), 40032)
  t.equal(await errcodeOf(platform, BATCH, { user_list: Array.from({ length: 100 }, () => ({ openid: FAN })) }), 0)
  t.equal(await errcodeOf(platform, BATCH, { user_list: [{ openid: '' }] }), 40003)
  t.equal(await errcodeOf(platform, BATCH, { user_list: [null] }), 40003)
  const info = await callApi(platform, '/cgi-bin/user/info', undefined, { openid: WANGFANG })
  t.notOk('unionid' in info.json, 'a fan without unionid has none')
})

test('updateremark refusals: unknown fan, 31 bytes, not a string', async (t) => {
  const platform = await startPlatform(t)
  const REMARK = '/cgi-bin/user/info/updateremark'
  t.equal(await errcodeOf(platform, REMARK, { openid: 'oNobody', remark: 'x' }), 40003)
  t.equal(await errcodeOf(platform, REMARK, { openid: 5, remark: 'x' }), 40003)
  t.equal(await errcodeOf(platform, REMARK, { openid: FAN, remark: 'x'.repeat(31) }), 40092)
  t.equal(await errcodeOf(platform, REMARK, { openid: FAN }), 40092)
  t.equal(await errcodeOf(platform, REMARK, { openid: FAN, remark: 'x'.repeat(30) }), 0)
})
