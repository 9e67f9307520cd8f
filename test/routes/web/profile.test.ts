import { test } from 'tap'
import { FAN, webApp } from '../../helpers/web-app.js'
import { createBrowser } from '../../helpers/web-browser.js'
import { signIn } from '../../helpers/wechat-login.js'

test('no session → 302 to sign in and come back', async (t) => {
  const { app } = await webApp(t)
  const res = await createBrowser(app).get('/profile')
  t.equal(res.statusCode, 302)
  t.equal(res.headers.location, '/oauth/login?next=/profile')
  const forged = await app.inject({ method: 'GET', url: '/profile', headers: { cookie: 'wemp_sid=abc.forged' } })
  t.equal(forged.statusCode, 302, 'an unsigned or forged cookie is no session')
})

/** Every <script …> tag of a page: ours, nonce'd, with a src and no inline code. */
function scriptTags (body: string): string[] {
  return body.match(/<script\b[^>]*>[^<]*(<\/script>)?/gi) ?? []
}
const OUR_SCRIPT = /^<script nonce="[A-Za-z0-9+/]{22}==" src="\/static\/profile-location\.js\?v=[0-9a-f]{16}"><\/script>$/

test('the page: mobile viewport, strict CSP with a fresh nonce, only our nonce\'d script, security headers', async (t) => {
  const { app, platform } = await webApp(t)
  const browser = createBrowser(app)
  await signIn(browser, platform, { openid: FAN.openid })
  const a = await browser.get('/profile')
  const b = await browser.get('/profile')
  t.equal(a.headers['content-type'], 'text/html; charset=utf-8')
  t.match(a.body, '<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">')
  t.match(a.body, '<html lang="zh-CN">')
  const csp = a.headers['content-security-policy'] as string
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1] as string
  t.match(csp, /^default-src 'none'; img-src https:\/\/thirdwx\.qlogo\.cn https:\/\/wx\.qlogo\.cn https:\/\/mmbiz\.qpic\.cn; style-src 'nonce-/)
  t.match(a.body, `<style nonce="${nonce}">`)
  t.not(nonce, /'nonce-([^']+)'/.exec(b.headers['content-security-policy'] as string)?.[1], 'a new nonce per response')
  t.match(csp, `script-src 'nonce-${nonce}'; connect-src 'self';`, 'outside WeChat, with WeChat\'s JS-SDK configured: our script only')
  t.notMatch(csp, /unsafe|strict-dynamic/)
  t.same(scriptTags(a.body), [`<script nonce="${nonce}" src="${/src="(\/static\/[^"]+)"/.exec(a.body)?.[1] as string}"></script>`])
  t.match(scriptTags(a.body)[0], OUR_SCRIPT)
  t.notMatch(a.body, /\son[a-z]+=/i, 'no inline event handler')
  t.equal(a.headers['x-content-type-options'], 'nosniff')
  t.equal(a.headers['referrer-policy'], 'no-referrer')
  t.equal(a.headers['cache-control'], 'no-store')
  t.equal(a.headers['x-frame-options'], 'DENY')
  t.match(a.body, /<form method="post" action="\/oauth\/logout">\s*<input type="hidden" name="csrf" value="[A-Za-z0-9_-]{43}">/)
})

const HOSTILE = [
  { openid: 'oHostile0000000000000000001', nickname: '<img src=x onerror=alert(1)>', headimgurl: 'javascript:alert(1)' },
  { openid: 'oHostile0000000000000000002', nickname: '"><script>alert(1)</script>', headimgurl: 'http://evil/x.png' },
  { openid: 'oHostile0000000000000000003', nickname: 'abc\u202Egpj.exe', headimgurl: 'https://evil.example/x.png' },
  { openid: 'oHostile0000000000000000004', nickname: '陈静🌸👨‍👩‍👧', headimgurl: 'https://thirdwx.qlogo.cn/x" onerror="alert(1)' },
  { openid: 'oHostile0000000000000000005', nickname: 'nul\u0000byte\'&amp;', headimgurl: 'https://wx.qlogo.cn/mmopen/ok/132' }
]

test('hostile profiles are escaped; avatars only from WeChat hosts (H 81)', async (t) => {
  const { app, platform } = await webApp(t)
  for (const fan of HOSTILE) platform.state.addFan(fan)
  const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
  const pages = new Map<string, string>()
  for (const fan of HOSTILE) {
    const browser = createBrowser(app)
    await signIn(browser, platform, { openid: fan.openid })
    const res = await browser.get('/profile')
    t.equal(res.statusCode, 200)
    pages.set(fan.openid, res.body)
    t.match(res.body, `<bdi class="nickname">${escape(fan.nickname)}</bdi>`, `${fan.openid}: nickname escaped, exact otherwise`)
    t.notMatch(res.body, /<img src=x|onerror="alert/, fan.openid)
    t.equal(scriptTags(res.body).length, 1, `${fan.openid}: no script but ours`)
    t.match(scriptTags(res.body)[0], OUR_SCRIPT)
    t.notMatch(res.body, /javascript:|evil/, fan.openid)
  }
  for (const openid of HOSTILE.slice(0, 3).map((f) => f.openid)) t.match(pages.get(openid), 'class="avatar placeholder"', `${openid}: placeholder`)
  t.match(pages.get(HOSTILE[3]?.openid as string), '<img class="avatar" src="https://thirdwx.qlogo.cn/x%22%20onerror=%22alert(1)"',
    'a quote in an allowed URL is percent-encoded: it cannot leave the attribute')
  t.match(pages.get(HOSTILE[4]?.openid as string), '<img class="avatar" src="https://wx.qlogo.cn/mmopen/ok/132"', 'a WeChat avatar is shown')
  t.match(pages.get(HOSTILE[2]?.openid as string), 'abc\u202Egpj.exe', 'U+202E kept as sent, isolated by <bdi>')
  t.match(pages.get(HOSTILE[4]?.openid as string), 'nul\u0000byte&#39;&amp;amp;', 'NUL kept, quote and ampersand escaped')
})
