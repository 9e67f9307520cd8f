import { test } from 'tap'
import { contentSecurityPolicy, newStyleNonce, WEB_BASELINE_HEADERS } from '../../../src/pages/page-security.js'
import { sameSecret } from '../../../src/oauth/same-secret.js'

test('the CSP allows no script, only WeChat images and the nonce\'d style', async (t) => {
  const csp = contentSecurityPolicy('N0nce==')
  t.equal(csp, "default-src 'none'; img-src https://thirdwx.qlogo.cn https://wx.qlogo.cn https://mmbiz.qpic.cn; " +
    "style-src 'nonce-N0nce=='; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
  t.notMatch(csp, /script-src|unsafe/)
})

test('nonces: 128 random bits, new each time', async (t) => {
  const a = newStyleNonce()
  t.match(a, /^[A-Za-z0-9+/]{22}==$/)
  t.not(a, newStyleNonce())
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
