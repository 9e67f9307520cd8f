import { test } from 'tap'
import { loginHref, OAUTH_PAGES } from '../../../src/oauth/oauth-pages.js'
import { profileView, type SignedIn } from '../../../src/oauth/web-user.js'
import { accountWebBase, webPaths } from '../../../src/oauth/web-paths.js'

const root = webPaths('')

const base: Omit<SignedIn, 'user'> = { csrfToken: 'tok', state: 'S', next: '/profile' }

test('a userinfo profile: nickname as sent, avatar through the allow-list, no upgrade link', async (t) => {
  const view = profileView({ ...base, user: { openid: 'o1', scope: 'snsapi_userinfo', nickname: '<b>小明</b>\u202e', headimgurl: 'https://wx.qlogo.cn/a/0' } }, root)
  t.same(view, { openid: 'o1', nickname: '<b>小明</b>\u202e', avatarUrl: 'https://wx.qlogo.cn/a/0', details: [], upgradeHref: undefined, csrfToken: 'tok', logoutAction: '/oauth/logout' })
})

test('the userinfo fields WeChat filled are shown; the emptied ones are hidden, never "未知"', async (t) => {
  const user = { openid: 'o1', scope: 'snsapi_userinfo' as const, nickname: '小明' }
  const details = (extra: object) => profileView({ ...base, user: { ...user, ...extra } }, root).details
  t.same(details({ sex: 0, country: '', province: '', city: '' }), [], 'what WeChat sends for new authorizations since 2021')
  t.same(details({}), [], 'a session from before these fields were kept')
  t.same(details({ sex: 1, country: '中国', province: '广东', city: '深圳', unionid: 'u1' }), [
    { label: '性别', value: '男' }, { label: '地区', value: '中国 广东 深圳' }, { label: 'UnionID', value: 'u1' }
  ], 'an older authorization, widest region first')
  t.same(details({ sex: 2, country: ' ', province: '', city: '成都' }), [{ label: '性别', value: '女' }, { label: '地区', value: '成都' }], 'blank parts left out')
  t.same(details({ sex: 7, unionid: '' }), [], 'an unknown sex code and an empty unionid say nothing')
})

test('an openid-only profile offers snsapi_userinfo', async (t) => {
  const view = profileView({ ...base, user: { openid: 'o1', scope: 'snsapi_base' } }, root)
  t.equal(view.nickname, undefined)
  t.equal(view.avatarUrl, undefined)
  t.equal(view.upgradeHref, '/oauth/login?scope=snsapi_userinfo&next=/profile')
})

test('an empty nickname shows the generic label; a foreign avatar the placeholder', async (t) => {
  const view = profileView({ ...base, user: { openid: 'o1', scope: 'snsapi_userinfo', nickname: '', headimgurl: 'http://evil/x.png' } }, root)
  t.equal(view.nickname, undefined)
  t.equal(view.avatarUrl, undefined)
  t.equal(view.upgradeHref, undefined)
})

test('login links and pages', async (t) => {
  t.equal(loginHref(root), '/oauth/login?next=/profile')
  t.equal(loginHref(webPaths(accountWebBase('news'))), '/accounts/news/oauth/login?next=/accounts/news/profile')
  t.equal(loginHref(root, '/orders?a=1&b=2', 'snsapi_base'), '/oauth/login?scope=snsapi_base&next=/orders%3Fa%3D1%26b%3D2')
  for (const [kind, page] of Object.entries(OAUTH_PAGES)) {
    t.ok(page.title !== '' && page.message !== '' && page.hint !== '' && page.actionLabel !== '', kind)
  }
  t.equal(OAUTH_PAGES.declined.status, 400)
  t.equal(OAUTH_PAGES.forbidden.status, 403)
  t.equal(OAUTH_PAGES.snapshot.message.includes('请在微信客户端内打开并授权'), true)
})
