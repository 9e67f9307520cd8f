import { test } from 'tap'
import { APP_ID, APP_SECRET, startPlatform } from '../../fixtures/platform-fixture.js'
import type { RunningPlatformApi } from '../../../sandbox/platform/platform-api.js'
import { request } from '../../fixtures/http-json.js'

const XIAOMING = 'oSandboxFan00000000000000001'
const WANGFANG = 'oSandboxFan00000000000000002'

function exchange (platform: RunningPlatformApi, code: string, extra = ''): ReturnType<typeof request> {
  return request(`${platform.url}/sns/oauth2/access_token?appid=${APP_ID}&secret=${APP_SECRET}&code=${code}&grant_type=authorization_code${extra}`)
}

test('code exchange: text/plain JSON with the token, single use, 5-minute life', async (t) => {
  let now = 0
  const platform = await startPlatform(t, { now: () => now })
  const code = platform.state.issueCode({ openid: XIAOMING, scope: 'snsapi_userinfo' })
  const answer = await exchange(platform, code)
  t.equal(answer.type, 'text/plain', 'WeChat labels even success as text/plain here')
  t.match(answer.json, { access_token: String, expires_in: 7200, refresh_token: String, openid: XIAOMING, scope: 'snsapi_userinfo', unionid: 'uSandboxUnion000000000000001' })
  t.notOk('is_snapshotuser' in answer.json)
  t.equal((await exchange(platform, code)).json.errcode, 40163)
  t.equal((await exchange(platform, 'unknown')).json.errcode, 40029)
  const late = platform.state.issueCode({ openid: XIAOMING, scope: 'snsapi_base' })
  now += 300_000
  t.equal((await exchange(platform, late)).json.errcode, 42003)
})

test('code exchange refusals: 40013, 40125, 40002, 41008', async (t) => {
  const platform = await startPlatform(t)
  const code = platform.state.issueCode({ openid: XIAOMING, scope: 'snsapi_base' })
  t.equal((await request(`${platform.url}/sns/oauth2/access_token?appid=wx1&secret=${APP_SECRET}&code=${code}&grant_type=authorization_code`)).json.errcode, 40013)
  t.equal((await request(`${platform.url}/sns/oauth2/access_token?appid=${APP_ID}&secret=x&code=${code}&grant_type=authorization_code`)).json.errcode, 40125)
  t.equal((await request(`${platform.url}/sns/oauth2/access_token?appid=${APP_ID}&secret=${APP_SECRET}&code=${code}&grant_type=x`)).json.errcode, 40002)
  t.equal((await request(`${platform.url}/sns/oauth2/access_token?appid=${APP_ID}&secret=${APP_SECRET}&grant_type=authorization_code`)).json.errcode, 41008)
  t.equal((await exchange(platform, '')).json.errcode, 41008)
  t.equal((await exchange(platform, code)).json.openid, XIAOMING, 'the refusals did not use the code up')
})

test('refresh_token: a new access token, same refresh token; 40030 unknown, 42002 after 30 days', async (t) => {
  let now = 0
  const platform = await startPlatform(t, { now: () => now })
  const first = (await exchange(platform, platform.state.issueCode({ openid: XIAOMING, scope: 'snsapi_base' }))).json
  const refreshUrl = (token: string, appid = APP_ID, grant = 'refresh_token'): string =>
    `${platform.url}/sns/oauth2/refresh_token?appid=${appid}&grant_type=${grant}&refresh_token=${token}`
  const refreshed = await request(refreshUrl(first.refresh_token))
  t.match(refreshed.json, { access_token: String, refresh_token: first.refresh_token, openid: XIAOMING, scope: 'snsapi_base' })
  t.not(refreshed.json.access_token, first.access_token)
  t.equal((await request(refreshUrl('unknown'))).json.errcode, 40030)
  t.equal((await request(`${platform.url}/sns/oauth2/refresh_token?appid=${APP_ID}&grant_type=refresh_token`)).json.errcode, 40030)
  t.equal((await request(refreshUrl(first.refresh_token, 'wx1'))).json.errcode, 40013)
  t.equal((await request(refreshUrl(first.refresh_token, APP_ID, 'x'))).json.errcode, 40002)
  now += 30 * 24 * 3600_000
  t.equal((await request(refreshUrl(first.refresh_token))).json.errcode, 42002)
})

test('userinfo: the profile for snsapi_userinfo; 48001 for snsapi_base; 40003 for another openid', async (t) => {
  const platform = await startPlatform(t)
  const full = (await exchange(platform, platform.state.issueCode({ openid: WANGFANG, scope: 'snsapi_userinfo' }))).json
  const info = await request(`${platform.url}/sns/userinfo?access_token=${full.access_token}&openid=${WANGFANG}&lang=zh_CN`)
  t.equal(info.type, 'text/plain')
  t.same(info.json, { openid: WANGFANG, nickname: '王芳', sex: 0, province: '', city: '', country: '', headimgurl: platform.state.fans.get(WANGFANG)?.headimgurl, privilege: [] })
  t.equal((await request(`${platform.url}/sns/userinfo?access_token=${full.access_token}&openid=${XIAOMING}`)).json.errcode, 40003)
  const base = (await exchange(platform, platform.state.issueCode({ openid: XIAOMING, scope: 'snsapi_base' }))).json
  t.equal((await request(`${platform.url}/sns/userinfo?access_token=${base.access_token}&openid=${XIAOMING}`)).json.errcode, 48001)
})

test('userinfo token errors: 41001 missing, 40001 unknown, 42001 expired; unknown user 40003', async (t) => {
  let now = 0
  const platform = await startPlatform(t, { now: () => now })
  t.equal((await request(`${platform.url}/sns/userinfo?openid=${XIAOMING}`)).json.errcode, 41001)
  t.equal((await request(`${platform.url}/sns/userinfo?access_token=forged&openid=${XIAOMING}`)).json.errcode, 40001)
  const ghost = (await exchange(platform, platform.state.issueCode({ openid: 'oGhost', scope: 'snsapi_userinfo' }))).json
  t.equal((await request(`${platform.url}/sns/userinfo?access_token=${ghost.access_token}&openid=oGhost`)).json.errcode, 40003)
  const full = (await exchange(platform, platform.state.issueCode({ openid: XIAOMING, scope: 'snsapi_userinfo' }))).json
  now += 7200_000
  t.equal((await request(`${platform.url}/sns/userinfo?access_token=${full.access_token}&openid=${XIAOMING}`)).json.errcode, 42001)
})

test('expireToken works on web tokens', async (t) => {
  const platform = await startPlatform(t)
  const full = (await exchange(platform, platform.state.issueCode({ openid: XIAOMING, scope: 'snsapi_userinfo' }))).json
  t.ok(platform.state.expireToken(full.access_token))
  t.equal((await request(`${platform.url}/sns/userinfo?access_token=${full.access_token}&openid=${XIAOMING}`)).json.errcode, 42001)
})

test('snapshot-page users: is_snapshotuser 1, a virtual profile without unionid', async (t) => {
  const platform = await startPlatform(t)
  const token = (await exchange(platform, platform.state.issueCode({ openid: XIAOMING, scope: 'snsapi_userinfo', isSnapshotUser: true }))).json
  t.equal(token.is_snapshotuser, 1)
  const info = (await request(`${platform.url}/sns/userinfo?access_token=${token.access_token}&openid=${XIAOMING}`)).json
  t.equal(info.nickname, '微信用户')
  t.match(info.headimgurl, /^https:\/\/thirdwx\.qlogo\.cn\//)
  t.notOk('unionid' in info)
})

test('/sns/auth: ok for a matching token, 40003 for another openid, token errors otherwise', async (t) => {
  const platform = await startPlatform(t)
  const token = (await exchange(platform, platform.state.issueCode({ openid: XIAOMING, scope: 'snsapi_base' }))).json
  const ok = await request(`${platform.url}/sns/auth?access_token=${token.access_token}&openid=${XIAOMING}`)
  t.same(ok.json, { errcode: 0, errmsg: 'ok' })
  t.equal((await request(`${platform.url}/sns/auth?access_token=${token.access_token}&openid=${WANGFANG}`)).json.errcode, 40003)
  t.equal((await request(`${platform.url}/sns/auth?access_token=forged&openid=${XIAOMING}`)).json.errcode, 40001)
})
