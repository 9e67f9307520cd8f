import { test } from 'tap'
import { apiFor, startPlatform } from '../../fixtures/platform-fixture.js'
import { rejectionOf } from '../../fixtures/rejection-of.js'

const XIAOMING = 'oSandboxFan00000000000000001'
const WANGFANG = 'oSandboxFan00000000000000002'

test('create, list with counts, rename, tag and untag fans, a fan\'s tags, delete', async (t) => {
  const platform = await startPlatform(t)
  const { tags } = apiFor(platform).api.management
  const tag = await tags.create('广东')
  t.equal(platform.state.requests.last('/cgi-bin/tags/create')?.body, '{"tag":{"name":"广东"}}')
  t.match(tag, { id: Number, name: '广东' })
  await tags.tagFans(tag.id, [XIAOMING, WANGFANG])
  t.equal(platform.state.requests.last('/cgi-bin/tags/members/batchtagging')?.body, `{"openid_list":["${XIAOMING}","${WANGFANG}"],"tagid":${tag.id}}`)
  t.same(await tags.list(), [{ id: 2, name: '星标组', count: 0 }, { id: tag.id, name: '广东', count: 2 }])
  t.same(await tags.ofFan(XIAOMING), [tag.id])
  t.equal(platform.state.requests.last('/cgi-bin/tags/getidlist')?.body, `{"openid":"${XIAOMING}"}`)
  await tags.rename(tag.id, '广州')
  t.equal(platform.state.requests.last('/cgi-bin/tags/update')?.body, `{"tag":{"id":${tag.id},"name":"广州"}}`)
  await tags.untagFans(tag.id, [WANGFANG])
  t.equal(platform.state.requests.last('/cgi-bin/tags/members/batchuntagging')?.body, `{"openid_list":["${WANGFANG}"],"tagid":${tag.id}}`)
  const fans: string[] = []
  for await (const openid of tags.fans(tag.id)) fans.push(openid)
  t.same(fans, [XIAOMING])
  t.equal(platform.state.requests.last('/cgi-bin/user/tag/get')?.body, `{"tagid":${tag.id},"next_openid":"${XIAOMING}"}`)
  t.same(await tags.fansPage(tag.id), { openids: [XIAOMING], nextOpenid: XIAOMING })
  await tags.delete(tag.id)
  t.equal(platform.state.requests.last('/cgi-bin/tags/delete')?.body, `{"tag":{"id":${tag.id}}}`)
  t.same(await tags.ofFan(XIAOMING), [], 'deleting a tag untags its fans')
})

test('WeChat\'s tag errcodes come back typed: 45157 name taken, 45058 system tag, 45159 unknown tag', async (t) => {
  const platform = await startPlatform(t)
  const { tags } = apiFor(platform).api.management
  await tags.create('VIP')
  t.match(await rejectionOf(tags.create('VIP')), { errcode: 45157, api: 'tags/create' })
  t.match(await rejectionOf(tags.delete(2)), { errcode: 45058 })
  t.match(await rejectionOf(tags.tagFans(999, [XIAOMING])), { errcode: 45159 })
})

test('names of 1–30 characters and batches of 1–50 fans are checked before sending', async (t) => {
  const platform = await startPlatform(t)
  const { tags } = apiFor(platform).api.management
  t.ok(await tags.create('标'.repeat(30)), '30 characters pass')
  t.match(await rejectionOf(tags.create('标'.repeat(31))), { kind: 'invalid-request', api: 'tags/create' })
  t.match(await rejectionOf(tags.create('')), { kind: 'invalid-request' })
  t.match(await rejectionOf(tags.rename(100, '标'.repeat(31))), { kind: 'invalid-request', api: 'tags/update' })
  t.match(await rejectionOf(tags.tagFans(100, [])), { kind: 'invalid-request', api: 'tags/members/batchtagging' })
  t.match(await rejectionOf(tags.untagFans(100, Array.from({ length: 51 }, () => XIAOMING))), { kind: 'invalid-request', message: /1 to 50 openids/ })
  t.equal(platform.state.callCount('/cgi-bin/tags/create'), 1)
})
