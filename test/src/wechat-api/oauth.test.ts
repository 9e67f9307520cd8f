import { test } from 'tap'
import { apiFor, startPlatform } from '../../fixtures/platform-fixture.js'
import { rejectionOf } from '../../fixtures/rejection-of.js'

const XIAOMING = 'oSandboxFan00000000000000001'
const WANGFANG = 'oSandboxFan00000000000000002'

test('exchange a snsapi_userinfo code and read the profile', async (t) => {
  const platform = await startPlatform(t)
  const { api } = apiFor(platform)
  const token = await api.oauth.exchangeCode(platform.state.issueCode({ openid: XIAOMING, scope: 'snsapi_userinfo' }))
  t.match(token, { accessToken: String, refreshToken: String, expiresIn: 7200, openid: XIAOMING, scope: 'snsapi_userinfo', unionid: 'uSandboxUnion000000000000001', isSnapshotUser: false })
  const info = await api.oauth.userInfo(token.accessToken, token.openid)
  t.same(info, {
    openid: XIAOMING,
    nickname: '小明',
    headimgurl: platform.state.fans.get(XIAOMING)?.headimgurl,
    sex: 0,
    province: '',
    city: '',
    country: '',
    unionid: 'uSandboxUnion000000000000001'
  })
  t.match(info.headimgurl, /^https:\/\/thirdwx\.qlogo\.cn\//)
})

test('a fan without unionid gets none; a snapshot-page user is flagged', async (t) => {
  const platform = await startPlatform(t)
  const { api } = apiFor(platform)
  const token = await api.oauth.exchangeCode(platform.state.issueCode({ openid: WANGFANG, scope: 'snsapi_userinfo', isSnapshotUser: true }))
  t.equal(token.isSnapshotUser, true)
  t.notOk('unionid' in token)
  const info = await api.oauth.userInfo(token.accessToken, WANGFANG)
  t.notOk('unionid' in info)
  t.equal(info.nickname, '微信用户')
})

test('a code is single use: 40163 on reuse; 40029 for an unknown code', async (t) => {
  const platform = await startPlatform(t)
  const { api, counters } = apiFor(platform)
  const code = platform.state.issueCode({ openid: XIAOMING, scope: 'snsapi_base' })
  await api.oauth.exchangeCode(code)
  const reuse = await rejectionOf(api.oauth.exchangeCode(code)) as Error
  t.match(reuse, { kind: 'api', errcode: 40163, path: '/sns/oauth2/access_token' })
  t.notMatch(reuse.message, code, 'the code is not in the message')
  t.match(await rejectionOf(api.oauth.exchangeCode('no-such-code')), { errcode: 40029 })
  t.same(counters.errors, [40163, 40029])
})

test('userinfo with a snsapi_base token is 48001; with a wrong openid 40003', async (t) => {
  const platform = await startPlatform(t)
  const { api } = apiFor(platform)
  const base = await api.oauth.exchangeCode(platform.state.issueCode({ openid: XIAOMING, scope: 'snsapi_base' }))
  t.equal(base.scope, 'snsapi_base')
  t.notOk('unionid' in base, 'no unionid for snsapi_base')
  t.match(await rejectionOf(api.oauth.userInfo(base.accessToken, XIAOMING)), { errcode: 48001 })
  const full = await api.oauth.exchangeCode(platform.state.issueCode({ openid: XIAOMING, scope: 'snsapi_userinfo' }))
  t.match(await rejectionOf(api.oauth.userInfo(full.accessToken, WANGFANG)), { errcode: 40003 })
})

test('wrong credentials: 40013 invalid appid, 40125 invalid appsecret', async (t) => {
  const platform = await startPlatform(t)
  const code = platform.state.issueCode({ openid: XIAOMING, scope: 'snsapi_base' })
  t.match(await rejectionOf(apiFor(platform, { appId: 'wx-other' }).api.oauth.exchangeCode(code)), { errcode: 40013 })
  t.match(await rejectionOf(apiFor(platform, { appSecret: 'other' }).api.oauth.exchangeCode(code)), { errcode: 40125 })
})

test('answers missing required fields are bad responses; absent profile fields default', async (t) => {
  const platform = await startPlatform(t)
  const { api } = apiFor(platform)
  platform.state.failNext('/sns/oauth2/access_token', { body: '{"access_token":"a","expires_in":7200,"openid":"o","scope":"snsapi_base"}' })
  t.match(await rejectionOf(api.oauth.exchangeCode('c')), { kind: 'bad-response', message: /no refresh_token/ })
  platform.state.failNext('/sns/oauth2/access_token', { body: '{"access_token":"a","refresh_token":"r","expires_in":"7200","openid":"o","scope":"s"}' })
  t.match(await rejectionOf(api.oauth.exchangeCode('c')), { kind: 'bad-response', message: /no expires_in/ })
  platform.state.failNext('/sns/userinfo', { body: '{"openid":"o"}' })
  t.same(await api.oauth.userInfo('a', 'o'), { openid: 'o', nickname: '', headimgurl: '', sex: 0, province: '', city: '', country: '' })
  platform.state.failNext('/sns/userinfo', { body: '{"openid":"o","sex":1}' })
  t.equal((await api.oauth.userInfo('a', 'o')).sex, 1)
  platform.state.failNext('/sns/userinfo', { body: '{"nickname":"x"}' })
  t.match(await rejectionOf(api.oauth.userInfo('a', 'o')), { kind: 'bad-response', message: /no openid/ })
})
