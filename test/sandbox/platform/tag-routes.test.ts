import { test } from 'tap'
import { startPlatform } from '../../fixtures/platform-fixture.js'
import { callApi, errcodeOf } from '../../fixtures/platform-calls.js'

const FAN = 'oSandboxFan00000000000000001'

test('tags/create: 45157 empty or taken, 45158 over 30 characters, 45056 past 100 tags', async (t) => {
  const platform = await startPlatform(t)
  const CREATE = '/cgi-bin/tags/create'
  t.equal(await errcodeOf(platform, CREATE, { tag: { name: '' } }), 45157)
  t.equal(await errcodeOf(platform, CREATE, {}), 45157)
  t.equal(await errcodeOf(platform, CREATE, { tag: { name: '星标组' } }), 45157)
  t.equal(await errcodeOf(platform, CREATE, { tag: { name: '字'.repeat(31) } }), 45158)
  for (let i = 0; i < 100; i++) platform.state.tags.create(`t${i}`)
  t.equal(await errcodeOf(platform, CREATE, { tag: { name: 'one more' } }), 45056)
})

test('update and delete: 45058 on WeChat\'s own tags, 45159 unknown, 45057 for a tag with over 100,000 fans', async (t) => {
  const fans = Array.from({ length: 100_001 }, (_, i) => ({ openid: `oFan${i}`, nickname: 'x' }))
  const platform = await startPlatform(t, { fans })
  const tag = platform.state.tags.create('大')
  const other = platform.state.tags.create('小')
  t.equal(await errcodeOf(platform, '/cgi-bin/tags/update', { tag: { id: 2, name: 'x' } }), 45058)
  t.equal(await errcodeOf(platform, '/cgi-bin/tags/update', { tag: { id: 999, name: 'x' } }), 45159)
  t.equal(await errcodeOf(platform, '/cgi-bin/tags/update', { tag: { id: tag.id, name: '小' } }), 45157)
  t.equal(await errcodeOf(platform, '/cgi-bin/tags/update', { tag: { id: tag.id, name: '大' } }), 0, 'keeping its own name is fine')
  t.equal(await errcodeOf(platform, '/cgi-bin/tags/delete', {}), 45159)
  t.equal(await errcodeOf(platform, '/cgi-bin/tags/delete', { tag: { id: 1 } }), 45058)
  for (const fan of fans) platform.state.followers.of(fan.openid).tagIds.push(tag.id)
  t.equal(await errcodeOf(platform, '/cgi-bin/tags/delete', { tag: { id: tag.id } }), 45057)
  platform.state.followers.of('oFan0').tagIds = [other.id]
  t.equal(await errcodeOf(platform, '/cgi-bin/tags/delete', { tag: { id: tag.id } }), 0, '100,000 fans may still be deleted')
})

test('batch tagging: 40032 list size, 40003 unknown fan, 45159 unknown tag, 45059 a 21st tag; tagging again moves it last', async (t) => {
  const platform = await startPlatform(t)
  const TAG = '/cgi-bin/tags/members/batchtagging'
  const tags = Array.from({ length: 21 }, (_, i) => platform.state.tags.create(`t${i}`))
  const first = tags[0]!
  t.equal(await errcodeOf(platform, TAG, { openid_list: [], tagid: first.id }), 40032)
  t.equal(await errcodeOf(platform, TAG, { tagid: first.id }), 40032)
  t.equal(await errcodeOf(platform, TAG, { openid_list: Array.from({ length: 51 }, () => FAN), tagid: first.id }), 40032)
  t.equal(await errcodeOf(platform, TAG, { openid_list: ['oNobody'], tagid: first.id }), 40003)
  t.equal(await errcodeOf(platform, TAG, { openid_list: [FAN], tagid: 999 }), 45159)
  for (const tag of tags.slice(0, 20)) t.equal(await errcodeOf(platform, TAG, { openid_list: [FAN], tagid: tag.id }), 0)
  t.equal(await errcodeOf(platform, TAG, { openid_list: [FAN], tagid: tags[20]!.id }), 45059)
  t.equal(await errcodeOf(platform, TAG, { openid_list: [FAN], tagid: first.id }), 0, 'a tag the fan has does not count again')
  t.equal(platform.state.followers.of(FAN).tagIds.at(-1), first.id)
})

test('a fan\'s tags and a tag\'s fans: refusals and paging', async (t) => {
  const platform = await startPlatform(t)
  t.equal(await errcodeOf(platform, '/cgi-bin/tags/getidlist', { openid: 'oNobody' }), 40003)
  t.equal(await errcodeOf(platform, '/cgi-bin/tags/getidlist', {}), 40003)
  t.equal(await errcodeOf(platform, '/cgi-bin/user/tag/get', { tagid: 999 }), 45159)
  t.equal(await errcodeOf(platform, '/cgi-bin/user/tag/get', { tagid: 2, next_openid: 'oNobody' }), 40003)
  t.same((await callApi(platform, '/cgi-bin/user/tag/get', { tagid: 2 })).json, { count: 0, next_openid: '' })
})
