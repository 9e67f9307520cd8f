import { test } from 'tap'
import { contentSecurityPolicy, newPageNonce, WEB_BASELINE_HEADERS } from '../../../src/pages/page-security.js'
import { sameSecret } from '../../../src/oauth/same-secret.js'

test('a page without scripts: no script at all, only WeChat images and the nonce\'d style', async (t) => {
  const csp = contentSecurityPolicy('N0nce==')
  t.equal(csp, "default-src 'none'; img-src https://thirdwx.qlogo.cn https://wx.qlogo.cn https://mmbiz.qpic.cn; " +
    "style-src 'nonce-N0nce=='; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
  t.notMatch(csp, /script-src|connect-src|unsafe/)
})

test('a page with scripts: the nonce and the named origins, calls to itself and the named ones, nothing unsafe', async (t) => {
  const csp = contentSecurityPolicy('N0nce==', { scriptOrigins: ['https://res.wx.qq.com'], connectOrigins: [] })
  t.equal(csp, "default-src 'none'; img-src https://thirdwx.qlogo.cn https://wx.qlogo.cn https://mmbiz.qpic.cn; " +
    "style-src 'nonce-N0nce=='; script-src 'nonce-N0nce==' https://res.wx.qq.com; connect-src 'self'; " +
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
  const sandbox = contentSecurityPolicy('N0nce==', { scriptOrigins: ['http://127.0.0.1:3100'], connectOrigins: ['http://127.0.0.1:3100'] })
  t.match(sandbox, "script-src 'nonce-N0nce==' http://127.0.0.1:3100; connect-src 'self' http://127.0.0.1:3100;")
  t.equal(contentSecurityPolicy('N', { scriptOrigins: [], connectOrigins: [] }).includes("script-src 'nonce-N'; connect-src 'self';"), true)
  for (const policy of [csp, sandbox]) t.notMatch(policy, /unsafe|strict-dynamic|\*|data:|blob:/)
})

test('nonces: 128 random bits, new each time', async (t) => {
  const a = newPageNonce()
  t.match(a, /^[A-Za-z0-9+/]{22}==$/)
  t.not(a, newPageNonce())
})

test('baseline headers', async (t) => {
  t.same(WEB_BASELINE_HEADERS, { 'referrer-policy': 'no-referrer', 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY', 'cache-control': 'no-store' })
})

test('sameSecret', async (t) => {
  t.ok(sameSecret('abc', 'abc'))
  t.notOk(sameSecret('abc', 'abd'))
  t.notOk(sameSecret('abc', 'abcd'), 'different lengths do not throw')
  t.notOk(sameSecret(undefined, ''), 'nothing held never matches')
})
