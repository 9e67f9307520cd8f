import { test } from 'tap'
import { authorizeUrl } from '../../../src/oauth/authorize-url.js'
import { DEFAULT_SCOPE, grantsUserInfo, OAUTH_SCOPES } from '../../../src/oauth/scopes.js'

test('the authorize URL: WeChat\'s parameter order, urlencoded redirect_uri, #wechat_redirect', async (t) => {
  const url = authorizeUrl({ oauthBase: 'https://open.weixin.qq.com', appId: 'wx0123456789abcdef', publicUrl: 'https://wemp.example.com', callbackPath: '/oauth/callback', scope: 'snsapi_base', state: 'AbC123' })
  t.equal(url, 'https://open.weixin.qq.com/connect/oauth2/authorize?appid=wx0123456789abcdef' +
    '&redirect_uri=https%3A%2F%2Fwemp.example.com%2Foauth%2Fcallback&response_type=code&scope=snsapi_base&state=AbC123#wechat_redirect')
  const news = authorizeUrl({ oauthBase: 'https://open.weixin.qq.com', appId: 'wx0123456789abcdef', publicUrl: 'https://wemp.example.com', callbackPath: '/accounts/news/oauth/callback', scope: 'snsapi_base', state: 'AbC123' })
  t.match(news, '&redirect_uri=https%3A%2F%2Fwemp.example.com%2Faccounts%2Fnews%2Foauth%2Fcallback&', 'another account\'s callback')
})

test('scopes', async (t) => {
  t.same(OAUTH_SCOPES, ['snsapi_userinfo', 'snsapi_base'])
  t.equal(DEFAULT_SCOPE, 'snsapi_userinfo')
  t.ok(grantsUserInfo('snsapi_userinfo'))
  t.ok(grantsUserInfo('snsapi_base,snsapi_userinfo'), 'a comma list as WeChat sometimes reports')
  t.notOk(grantsUserInfo('snsapi_base'))
  t.notOk(grantsUserInfo(''))
})
