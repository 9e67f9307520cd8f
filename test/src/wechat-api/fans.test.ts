import { test } from 'tap'
import { apiFor, startPlatform } from '../../fixtures/platform-fixture.js'
import { rejectionOf } from '../../fixtures/rejection-of.js'

const LIST = '/cgi-bin/user/get'
const XIAOMING = 'oSandboxFan00000000000000001'
const WANGFANG = 'oSandboxFan00000000000000002'

const generatedFans = (count: number): Array<{ openid: string, nickname: string }> =>
  Array.from({ length: count }, (_, i) => ({ openid: `oGenerated${String(i).padStart(18, '0')}`, nickname: `粉丝${i}` }))

test('25,000 followers: walked in three pages of WeChat\'s 10,000, then the empty page that ends the list', async (t) => {
  const fans = generatedFans(25_000)
  const platform = await startPlatform(t, { fans })
  const api = apiFor(platform).api.management.fans
  const seen: string[] = []
  for await (const openid of api.followers()) seen.push(openid)
  t.equal(seen.length, 25_000)
  t.same(seen, fans.map((fan) => fan.openid), 'every follower once, in order')
  t.equal(platform.state.callCount(LIST), 4)
  const queries = platform.state.requests.entries.filter((entry) => entry.path === LIST).map((entry) => entry.query)
  t.same(queries, [{}, { next_openid: fans[9_999]?.openid }, { next_openid: fans[19_999]?.openid }, { next_openid: fans[24_999]?.openid }])
})

test('one page: the total, the openids and the next_openid to pass back', async (t) => {
  const platform = await startPlatform(t)
  const api = apiFor(platform).api.management.fans
  const page = await api.page()
  t.same(page, { openids: [...platform.state.fans.keys()], nextOpenid: 'oSandboxFan00000000000000003', total: 3 })
  t.same(await api.page(page.nextOpenid), { openids: [], nextOpenid: '', total: 3 })
})

test('the walk also ends on the documented empty next_openid, and on a page that does not move on', async (t) => {
  const platform = await startPlatform(t)
  const api = apiFor(platform).api.management.fans
  platform.state.failNext(LIST, { body: '{"total":2,"count":2,"data":{"openid":["oA","oB"]},"next_openid":""}' })
  const documented: string[] = []
  for await (const openid of api.followers()) documented.push(openid)
  t.same(documented, ['oA', 'oB'])
  platform.state.failNext(LIST, { body: '{"total":9,"count":1,"data":{"openid":["oA"]},"next_openid":"oA"}' })
  platform.state.failNext(LIST, { body: '{"total":9,"count":1,"data":{"openid":["oA"]},"next_openid":"oA"}' })
  const stuck: string[] = []
  for await (const openid of api.followers()) stuck.push(openid)
  t.same(stuck, ['oA', 'oA'], 'a second page naming the same next_openid ends the walk instead of looping')
  platform.state.failNext(LIST, { body: '{"count":0}' })
  t.same(await api.page(), { openids: [], nextOpenid: '' })
})

test('a failing page ends the walk with the error', async (t) => {
  const platform = await startPlatform(t, { fans: generatedFans(10_001) })
  const api = apiFor(platform).api.management.fans
  platform.state.failNext(LIST, { delayMs: 0 })
  platform.state.failNext(LIST, { errcode: 45009, errmsg: 'reach max api daily quota limit' })
  let count = 0
  const error = await rejectionOf((async () => { for await (const _ of api.followers()) count++ })())
  t.match(error, { errcode: 45009, api: 'user/get', hint: /daily quota/ })
  t.equal(count, 10_000, 'the first page came through before the error')
})

test('user info: single and batch, without nickname or avatar; unfollowed fans have two fields', async (t) => {
  const platform = await startPlatform(t)
  const api = apiFor(platform).api.management.fans
  const info = await api.info(XIAOMING)
  t.match(info, { subscribe: 1, openid: XIAOMING, unionid: 'uSandboxUnion000000000000001', remark: '', tagid_list: [], subscribe_scene: 'ADD_SCENE_SEARCH' })
  t.notOk('nickname' in info)
  t.same(platform.state.requests.last('/cgi-bin/user/info')?.query, { openid: XIAOMING, lang: 'zh_CN' })
  await api.info(WANGFANG, 'en')
  t.same(platform.state.requests.last('/cgi-bin/user/info')?.query, { openid: WANGFANG, lang: 'en' })
  const batch = await api.batchInfo([XIAOMING, 'oGone'])
  t.equal(platform.state.requests.last('/cgi-bin/user/info/batchget')?.body, `{"user_list":[{"openid":"${XIAOMING}","lang":"zh_CN"},{"openid":"oGone","lang":"zh_CN"}]}`)
  t.match(batch, [{ subscribe: 1, openid: XIAOMING }, { subscribe: 0, openid: 'oGone' }])
  await api.batchInfo([XIAOMING], 'zh_TW')
  t.match(platform.state.requests.last('/cgi-bin/user/info/batchget')?.body, /"lang":"zh_TW"/)
  t.match(await rejectionOf(api.batchInfo([])), { kind: 'invalid-request' })
  t.match(await rejectionOf(api.batchInfo(Array.from({ length: 101 }, (_, i) => `o${i}`))), { kind: 'invalid-request', message: /1 to 100 openids/ })
  t.match(await rejectionOf(api.info('oNobody')), { errcode: 40003, api: 'user/info' })
})

test('remarks: at most 30 bytes, checked before sending', async (t) => {
  const platform = await startPlatform(t)
  const api = apiFor(platform).api.management.fans
  await api.setRemark(XIAOMING, '十个汉字的备注名字啊')
  t.equal(platform.state.requests.last('/cgi-bin/user/info/updateremark')?.body, `{"openid":"${XIAOMING}","remark":"十个汉字的备注名字啊"}`)
  t.equal((await api.info(XIAOMING)).remark, '十个汉字的备注名字啊')
  t.match(await rejectionOf(api.setRemark(XIAOMING, '十一个汉字的备注名字啊')), { kind: 'invalid-request', api: 'user/info/updateremark' })
})
