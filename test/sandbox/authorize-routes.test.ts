import { test } from 'tap'
import { startSandbox } from '../../sandbox/sandbox-app.js'
import type { RunningSandbox } from '../../sandbox/sandbox-app.js'
import { SHARED } from './wemp-server.js'

const XIAOMING = 'oSandboxFan00000000000000001'
const WANGFANG = 'oSandboxFan00000000000000002'
const REDIRECT = 'http://127.0.0.1:3000/oauth/callback?next=%2Fprofile'

async function sandbox (t: { teardown(fn: () => unknown): void }, extra: { redirectDomains?: string[] } = {}): Promise<RunningSandbox> {
  const running = await startSandbox({ ...SHARED, mode: 'plain', serverUrl: 'http://127.0.0.1:9/wechat', ...extra })
  t.teardown(() => running.close())
  return running
}

function authorizeUrl (base: string, params: Record<string, string>): string {
  return `${base}/connect/oauth2/authorize?${new URLSearchParams(params).toString()}#wechat_redirect`
}

const valid = (scope: string) => ({ appid: SHARED.appId, redirect_uri: REDIRECT, response_type: 'code', scope, state: 'abc123' })

async function decide (base: string, form: Record<string, string>): Promise<Response> {
  return fetch(`${base}/connect/oauth2/authorize`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() })
}

/** Exchanges a code on the sandbox's own platform API, as the wemp server would. */
async function exchangeCode (base: string, code: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${base}/sns/oauth2/access_token?appid=${SHARED.appId}&secret=${SHARED.appSecret}&code=${code}&grant_type=authorization_code`)
  return JSON.parse(await response.text()) as Record<string, unknown>
}

test('snsapi_userinfo: the consent page lists the fans; allow redirects with a code for the chosen fan', async (t) => {
  const running = await sandbox(t)
  const page = await fetch(authorizeUrl(running.url, valid('snsapi_userinfo')))
  t.equal(page.status, 200)
  t.match(page.headers.get('content-type'), /text\/html/)
  const html = await page.text()
  t.match(html, /网页由 127\.0\.0\.1:3000 开发/)
  t.match(html, /小明/)
  t.match(html, /陈静🌸/)
  t.match(html, new RegExp(`value="${XIAOMING}" checked`), 'the fan holding the phone is preselected')
  t.match(html, /name="redirect_uri" value="http:\/\/127\.0\.0\.1:3000\/oauth\/callback\?next=%2Fprofile"/)

  const allowed = await decide(running.url, { ...valid('snsapi_userinfo'), openid: WANGFANG, decision: 'allow' })
  t.equal(allowed.status, 302)
  const target = new URL(allowed.headers.get('location') as string)
  t.equal(`${target.origin}${target.pathname}`, 'http://127.0.0.1:3000/oauth/callback')
  t.equal(target.searchParams.get('next'), '/profile', 'the redirect_uri keeps its own query')
  t.equal(target.searchParams.get('state'), 'abc123')
  const token = await exchangeCode(running.url, target.searchParams.get('code') as string)
  t.match(token, { openid: WANGFANG, scope: 'snsapi_userinfo' })
  t.equal(running.session.currentOpenid, WANGFANG, 'the chosen fan now holds the phone')
})

test('refuse: back to redirect_uri with only state', async (t) => {
  const running = await sandbox(t)
  const refused = await decide(running.url, { ...valid('snsapi_userinfo'), openid: WANGFANG, decision: 'deny' })
  t.equal(refused.status, 302)
  const target = new URL(refused.headers.get('location') as string)
  t.equal(target.searchParams.get('state'), 'abc123')
  t.equal(target.searchParams.get('code'), null)
})

test('allow without a known fan shows the error page', async (t) => {
  const running = await sandbox(t)
  for (const form of [{ ...valid('snsapi_userinfo'), decision: 'allow' }, { ...valid('snsapi_userinfo'), decision: 'allow', openid: 'oNobody' }]) {
    const response = await decide(running.url, form)
    t.equal(response.status, 200)
    t.match(await response.text(), /请选择一个粉丝/)
  }
})

test('snsapi_base goes straight through for the fan holding the phone', async (t) => {
  const running = await sandbox(t)
  running.session.currentOpenid = WANGFANG
  const response = await fetch(authorizeUrl(running.url, valid('snsapi_base')), { redirect: 'manual' })
  t.equal(response.status, 302)
  const target = new URL(response.headers.get('location') as string)
  t.equal(target.searchParams.get('state'), 'abc123')
  t.match(await exchangeCode(running.url, target.searchParams.get('code') as string), { openid: WANGFANG, scope: 'snsapi_base' })
})

test('bad requests get WeChat error codes on an error page', async (t) => {
  const running = await sandbox(t, { redirectDomains: ['wemp.example.com'] })
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ ...valid('snsapi_userinfo'), appid: '' }, /错误码：10012/],
    [{ ...valid('snsapi_userinfo'), appid: 'wxwrongappid00001' }, /错误码：10003[\s\S]*wxwrongappid00001/],
    [{ ...valid('snsapi_userinfo'), redirect_uri: '' }, /错误码：10011/],
    [{ ...valid('snsapi_userinfo'), redirect_uri: 'javascript:alert(1)' }, /错误码：10003[\s\S]*不是 http\(s\) 地址/],
    [{ ...valid('snsapi_userinfo'), redirect_uri: 'not a url' }, /错误码：10003/],
    [{ ...valid('snsapi_userinfo'), redirect_uri: 'https://evil.example.com/cb' }, /错误码：10003[\s\S]*evil\.example\.com/],
    [{ ...valid('snsapi_userinfo'), redirect_uri: 'https://wemp.example.com/cb', response_type: 'token' }, /response_type 必须是 code/],
    [{ ...valid('snsapi_userinfo'), redirect_uri: 'https://wemp.example.com/cb', scope: '' }, /错误码：10010/],
    [{ ...valid('snsapi_userinfo'), redirect_uri: 'https://wemp.example.com/cb', scope: 'snsapi_login' }, /错误码：10005/],
    [{ ...valid('snsapi_userinfo'), redirect_uri: 'https://wemp.example.com/cb', state: '' }, /错误码：10013/]
  ]
  for (const [params, expected] of cases) {
    const response = await fetch(authorizeUrl(running.url, params), { redirect: 'manual' })
    t.equal(response.status, 200, 'an error page, not a redirect')
    const html = await response.text()
    t.match(html, /Oops! Something went wrong/)
    t.match(html, expected, JSON.stringify(params))
  }
  const repeated = await (await fetch(`${running.url}/connect/oauth2/authorize?appid=a&appid=b&redirect_uri=x`)).text()
  t.match(repeated, /错误码：10012/, 'a repeated parameter counts as absent')
  const noCode = await (await fetch(authorizeUrl(running.url, { ...valid('snsapi_userinfo'), redirect_uri: 'https://wemp.example.com/cb', response_type: 'token' }))).text()
  t.notMatch(noCode, /错误码/, 'no code when WeChat has none')
  const posted = await decide(running.url, { ...valid('snsapi_userinfo'), appid: 'wxwrongappid00001', decision: 'allow', openid: XIAOMING })
  t.match(await posted.text(), /错误码：10003/, 'the consent form is checked again')
  const ok = await fetch(authorizeUrl(running.url, { ...valid('snsapi_base'), redirect_uri: 'https://wemp.example.com/cb' }), { redirect: 'manual' })
  t.equal(ok.status, 302, 'a registered domain passes')
})

test('user input on the consent page is escaped', async (t) => {
  const running = await sandbox(t)
  running.state.addFan({ openid: 'oEvil', nickname: '<script>alert(1)</script>' })
  const html = await (await fetch(authorizeUrl(running.url, { ...valid('snsapi_userinfo'), state: '"><b>x' }))).text()
  t.notMatch(html, /<script>alert/)
  t.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/)
  t.notMatch(html, /"><b>x/)
})
