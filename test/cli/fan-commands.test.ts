import { test } from 'tap'
import { EXIT } from '../../cli/program.js'
import { cliAgainstPlatform, FAN } from './cli-fixture.js'

test('fans list: every follower\'s openid, page after page, and the count', async (t) => {
  const { platform, wemp } = await cliAgainstPlatform(t)
  const run = await wemp(['fans', 'list'])
  t.equal(run.out, 'oSandboxFan00000000000000001\noSandboxFan00000000000000002\noSandboxFan00000000000000003\n3 followers\n')
  t.same((await wemp(['fans', 'list', '--json'])).json(), { total: 3, openids: [...platform.state.fans.keys()] })
  platform.state.fans.clear()
  platform.state.addFan({ openid: FAN, nickname: '小明' })
  t.equal((await wemp(['fans', 'list'])).out, `${FAN}\n1 follower\n`)
})

test('fans get: since when, from which scene, remark and tags by name', async (t) => {
  const { platform, wemp } = await cliAgainstPlatform(t)
  const plain = await wemp(['fans', 'get', FAN])
  t.match(plain.out, new RegExp(`^openid        ${FAN}\\nfollows since \\d{4}-.*Z\\ncame from     ADD_SCENE_SEARCH\\nremark\\ntags\\nunionid       uSandboxUnion000000000000001\\nlanguage      zh_CN\\n$`))
  const record = platform.state.followers.of(FAN)
  Object.assign(record, { subscribeScene: 'ADD_SCENE_QR_CODE', qrSceneStr: 'spring', remark: '老客户', tagIds: [2, 100] })
  platform.state.tags.create('VIP')
  const scanned = await wemp(['fans', 'get', FAN])
  t.match(scanned.out, /came from     ADD_SCENE_QR_CODE \(scene_str spring\)\nremark        老客户\ntags          星标组 \(2\), VIP \(100\)\n/)
  Object.assign(record, { qrSceneStr: '', qrScene: 123, tagIds: [101] })
  const byId = await wemp(['--json', 'fans', 'get', FAN])
  t.match(byId.json(), { openid: FAN, subscribe: 1, qr_scene: 123, tags: [{ id: 101, name: null }] })
  t.match((await wemp(['fans', 'get', FAN])).out, /ADD_SCENE_QR_CODE \(scene_id 123\)\n[\s\S]*tags          \? \(101\)/)
})

test('fans get: an answer with only the fields WeChat must send', async (t) => {
  const { platform, wemp } = await cliAgainstPlatform(t)
  platform.state.failNext('/cgi-bin/user/info', { body: `{"subscribe":1,"openid":"${FAN}"}` })
  t.equal((await wemp(['fans', 'get', FAN])).out, `openid        ${FAN}\nfollows since yes\ncame from\nremark\ntags\nunionid\nlanguage\n`)
  platform.state.failNext('/cgi-bin/user/info', { body: `{"subscribe":1,"openid":"${FAN}","subscribe_scene":"ADD_SCENE_QR_CODE"}` })
  t.match((await wemp(['fans', 'get', FAN])).out, /came from     ADD_SCENE_QR_CODE \(scene_id \)\n/)
})

test('fans get: an unfollowed fan, and an openid WeChat does not know', async (t) => {
  const { platform, wemp } = await cliAgainstPlatform(t)
  platform.state.failNext('/cgi-bin/user/info', { body: `{"subscribe":0,"openid":"${FAN}"}` })
  t.equal((await wemp(['fans', 'get', FAN])).out, `${FAN} does not follow default (WeChat keeps only the openid of a fan who unfollowed)\n`)
  platform.state.failNext('/cgi-bin/user/info', { body: `{"subscribe":0,"openid":"${FAN}"}` })
  t.same((await wemp(['fans', 'get', FAN, '--json'])).json(), { subscribe: 0, openid: FAN, tags: [] })
  const unknown = await wemp(['fans', 'get', 'oNobody'])
  t.equal(unknown.code, EXIT.refused)
})

test('fans tag: by name (created when new, reused after), or by id', async (t) => {
  const { platform, wemp } = await cliAgainstPlatform(t)
  const created = await wemp(['fans', 'tag', FAN, '老客户'])
  t.same([created.code, created.out], [EXIT.ok, `tagged ${FAN} with 老客户 (tag 100, created)\n`])
  t.equal((await wemp(['fans', 'tag', 'oSandboxFan00000000000000002', '老客户'])).out, 'tagged oSandboxFan00000000000000002 with 老客户 (tag 100)\n')
  t.equal(platform.state.tags.tags.size, 2, 'one tag of that name, plus WeChat\'s own')
  t.equal((await wemp(['fans', 'tag', FAN, '2'])).out, `tagged ${FAN} with 星标组 (tag 2)\n`)
  t.same(platform.state.followers.of(FAN).tagIds, [100, 2])
  t.same((await wemp(['--json', 'fans', 'tag', FAN, '100'])).json(), { openid: FAN, tag: { id: 100, name: '老客户', count: 2 }, created: false })
  const missing = await wemp(['fans', 'tag', FAN, '999'])
  t.same([missing.code, missing.err], [EXIT.usage, 'wemp: no tag has the id 999 (a name instead of an id creates the tag)\n'])
  platform.state.failNext('/cgi-bin/tags/members/batchtagging', { errcode: 45059, errmsg: 'can not tagging one user too much' })
  const full = await wemp(['fans', 'tag', FAN, '100'])
  t.match([full.code, full.err], [EXIT.refused, /errcode 45059 \(can not tagging one user too much\): a fan has at most 20 tags/])
})
