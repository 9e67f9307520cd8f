import { test, type Test } from 'tap'
import type { AccountSettings } from '../../../src/accounts/account-settings.js'
import { reply } from '../../../src/protocol/reply.js'
import { createMemoryStore } from '../../../src/store/memory-store.js'
import { APP_ID, APP_SECRET, startPlatform } from '../../fixtures/platform-fixture.js'
import { textPush } from '../../fixtures/pushes.js'
import { build } from '../../helpers/build.js'
import { sampleValue } from '../../helpers/metrics-text.js'
import { AES_KEY_CURRENT, encryptedUrl, parseEncryptedReply, platformDecrypt, platformEncrypt, safeModeBody } from '../../helpers/wechat-crypto.js'
import { signedUrl } from '../../helpers/wechat-request.js'
import { OAUTH_BASE, signIn } from '../../helpers/wechat-login.js'
import { createBrowser } from '../../helpers/web-browser.js'

const XML = { 'content-type': 'text/xml' }
const FAN = 'oSandboxFan00000000000000001'
const NEWS_APP = 'wxnewsapp00000002'
const NEWS_SECRET = 'news-app-secret-0123456789abcdef'

/** Two accounts with different tokens and keys: `shop` plain at /wechat/shop, `news` safe at /wechat/news. */
const ACCOUNTS: AccountSettings[] = [
  { id: 'shop', token: 'shoptoken01', appId: APP_ID, appSecret: APP_SECRET, messageMode: 'plain', welcomeText: '欢迎光临' },
  { id: 'news', token: 'newstoken02', appId: NEWS_APP, appSecret: NEWS_SECRET, messageMode: 'safe', encodingAesKey: AES_KEY_CURRENT, welcomeText: '欢迎订阅' }
]

async function twoAccounts (t: Test, runs: string[] = []) {
  const platform = await startPlatform(t, { apps: [{ appId: NEWS_APP, appSecret: NEWS_SECRET }] })
  const app = await build(t, {
    config: { apiBase: platform.url, oauthBase: OAUTH_BASE },
    accounts: ACCOUNTS,
    bot: ({ account }) => async (push) => {
      runs.push(account.id)
      return push.kind === 'message' && push.type === 'text' ? reply.text(`${account.id}: ${push.message.Content}`) : undefined
    }
  })
  return { app, platform }
}

async function pushToNews (app: Awaited<ReturnType<typeof twoAccounts>>['app'], xml: string) {
  const encrypt = platformEncrypt(AES_KEY_CURRENT, NEWS_APP, xml)
  const { url } = encryptedUrl({ token: 'newstoken02', encrypt, path: '/wechat/news' })
  return await app.inject({ method: 'POST', url, headers: XML, payload: safeModeBody(encrypt) })
}

test('each account answers at its own URL with its own token and mode', async (t) => {
  const { app } = await twoAccounts(t)
  const shop = await app.inject({ method: 'POST', url: signedUrl({ token: 'shoptoken01', path: '/wechat/shop' }), headers: XML, payload: textPush({ content: 'hi' }) })
  t.equal(shop.statusCode, 200)
  t.match(shop.body, '<Content><![CDATA[shop: hi]]></Content>')

  const news = await pushToNews(app, textPush({ content: '早' }))
  t.equal(news.statusCode, 200)
  const sealed = parseEncryptedReply(news.body)
  t.ok(sealed !== undefined, 'the safe account answers sealed')
  const opened = platformDecrypt(AES_KEY_CURRENT, sealed!.encrypt)
  t.equal(opened.appId, NEWS_APP, 'sealed for the news account\'s AppID')
  t.match(opened.message, '<Content><![CDATA[news: 早]]></Content>')

  const verify = await app.inject({ method: 'GET', url: signedUrl({ token: 'newstoken02', path: '/wechat/news', extra: { echostr: 'e123' } }) })
  t.same([verify.statusCode, verify.body], [200, 'e123'], 'the server check per account')
})

test('a push signed for one account and sent to another\'s URL is refused 403; an unknown account is 404', async (t) => {
  const runs: string[] = []
  const { app } = await twoAccounts(t, runs)
  const crossed = await app.inject({ method: 'POST', url: signedUrl({ token: 'shoptoken01', path: '/wechat/news' }), headers: XML, payload: textPush() })
  t.same([crossed.statusCode, crossed.body], [403, 'signature mismatch'])
  const unknown = await app.inject({ method: 'POST', url: signedUrl({ token: 'shoptoken01', path: '/wechat/other' }), headers: XML, payload: textPush() })
  t.equal(unknown.statusCode, 404)
  const noDefault = await app.inject({ method: 'POST', url: signedUrl({ token: 'shoptoken01' }), headers: XML, payload: textPush() })
  t.equal(noDefault.statusCode, 404, 'no account `default`, nothing at /wechat')
  t.same(runs, [], 'no bot ran')
  const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body
  t.equal(sampleValue(metrics, 'wemp_signature_failures_total{account="news"}'), 1, 'counted for the account it was sent to')
  t.equal(sampleValue(metrics, 'wemp_signature_failures_total{account="shop"}'), 0)
})

test('the same MsgId from the same fan on both accounts runs twice: dedup is per account', async (t) => {
  const runs: string[] = []
  const { app } = await twoAccounts(t, runs)
  const xml = textPush({ content: 'same', from: FAN, msgId: '7777777777777777' })
  const shop = await app.inject({ method: 'POST', url: signedUrl({ token: 'shoptoken01', path: '/wechat/shop' }), headers: XML, payload: xml })
  const news = await pushToNews(app, xml)
  t.same([shop.statusCode, news.statusCode], [200, 200])
  t.same(runs, ['shop', 'news'])
  const retry = await app.inject({ method: 'POST', url: signedUrl({ token: 'shoptoken01', path: '/wechat/shop' }), headers: XML, payload: xml })
  t.equal(retry.body, shop.body, 'a retry on one account is still a retry')
  t.same(runs, ['shop', 'news'])
})

test('each account gets its own access_token from the platform, by AppID, under its own keys', async (t) => {
  const store = createMemoryStore()
  const platform = await startPlatform(t, { apps: [{ appId: NEWS_APP, appSecret: NEWS_SECRET }] })
  const tokens = new Map<string, () => Promise<string>>()
  await build(t, {
    store,
    config: { apiBase: platform.url },
    accounts: ACCOUNTS,
    bot: ({ account, wechatApi }) => {
      tokens.set(account.id, wechatApi.accessToken)
      return async () => undefined
    }
  })
  const shop = await tokens.get('shop')!()
  const news = await tokens.get('news')!()
  t.not(shop, news)
  t.equal(platform.state.callCount('/cgi-bin/stable_token'), 2, 'two fetches')
  t.equal(platform.state.credentials.appOf(shop), APP_ID)
  t.equal(platform.state.credentials.appOf(news), NEWS_APP)
  t.equal(await tokens.get('shop')!(), shop, 'cached per account')
  t.equal(platform.state.callCount('/cgi-bin/stable_token'), 2)
  t.ok((await store.get(`${NEWS_APP}:wechat:${NEWS_APP}:access-token`)) !== null, 'kept under the account\'s AppID')
})

test('signed in to one account is not signed in to another; each has its own AppID and redirect_uri', async (t) => {
  const { app, platform } = await twoAccounts(t)
  const browser = createBrowser(app)
  const login = await signIn(browser, platform, { openid: FAN }, '', '/accounts/shop')
  t.equal(login.authorize.searchParams.get('appid'), APP_ID)
  t.equal(login.authorize.searchParams.get('redirect_uri'), 'http://localhost/accounts/shop/oauth/callback')
  t.same([login.callback.statusCode, login.callback.headers.location], [302, '/accounts/shop/profile'])
  t.equal((await browser.get('/accounts/shop/profile')).statusCode, 200, 'signed in to shop')

  const news = await browser.get('/accounts/news/profile')
  t.equal(news.statusCode, 302, 'not signed in to news')
  t.equal(news.headers.location, '/accounts/news/oauth/login?next=/accounts/news/profile')
  const newsLogin = await browser.get('/accounts/news/oauth/login')
  t.equal(new URL(newsLogin.headers.location as string).searchParams.get('appid'), NEWS_APP)

  const forged = await browser.get(`/accounts/news/oauth/callback?code=${platform.state.issueCode({ openid: FAN, scope: 'snsapi_userinfo', isSnapshotUser: false })}&state=${login.state}`)
  t.equal(forged.statusCode, 403, 'a state minted for shop does not sign in to news')
  t.equal((await browser.get('/accounts/other/profile')).statusCode, 404, 'an unknown account has no pages')
})

test('signing out of one account keeps the other signed in', async (t) => {
  const { app, platform } = await twoAccounts(t)
  const browser = createBrowser(app)
  await signIn(browser, platform, { openid: FAN }, '', '/accounts/shop')
  await signIn(browser, platform, { openid: FAN }, '', '/accounts/news')
  const profile = await browser.get('/accounts/news/profile')
  t.match(profile.body, 'action="/accounts/news/oauth/logout"')
  const csrf = /name="csrf" value="([^"]+)"/.exec(profile.body)?.[1] as string
  const out = await browser.post('/accounts/news/oauth/logout', { csrf })
  t.same([out.statusCode, out.headers.location], [303, '/accounts/news/oauth/signed-out'])
  t.equal((await browser.get('/accounts/news/profile')).statusCode, 302, 'signed out of news')
  t.equal((await browser.get('/accounts/shop/profile')).statusCode, 200, 'still signed in to shop')
})
