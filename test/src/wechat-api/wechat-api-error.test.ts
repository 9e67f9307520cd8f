import { test } from 'tap'
import { WeChatApiError, scrubUpstreamText } from '../../../src/wechat-api/wechat-api-error.js'

test('scrubbing redacts token-like runs and keeps words and IP addresses', async (t) => {
  // The rid goes too: tokens use the same alphabet, dashes included.
  t.equal(scrubUpstreamText('invalid ip 1.2.3.4 ipv6 ::ffff:1.2.3.4, not in whitelist rid: 65f0a1b2-1c2d3e4f-5a6b7c8d'),
    'invalid ip 1.2.3.4 ipv6 ::ffff:1.2.3.4, not in whitelist rid: [redacted]')
  t.equal(scrubUpstreamText('access_token=78_AbCdEfGhIjKlMnOpQrStUvWxYz0123 bad'), 'access_token=[redacted] bad')
  t.equal(scrubUpstreamText('line\n\tbreak  '), 'line break')
})

test('the error names the path and its parts, and gives its metric code', async (t) => {
  const api = new WeChatApiError({ kind: 'api', path: '/cgi-bin/token', errcode: 40013, errmsg: 'invalid appid' })
  t.equal(api.message, 'WeChat API /cgi-bin/token failed (api): errcode 40013, invalid appid')
  t.equal(api.name, 'WeChatApiError')
  t.equal(api.code, 40013)
  t.same(api.toDetails(), { kind: 'api', path: '/cgi-bin/token', errcode: 40013, errmsg: 'invalid appid' })
  const bare = new WeChatApiError({ kind: 'timeout', path: '/sns/userinfo' })
  t.equal(bare.message, 'WeChat API /sns/userinfo failed (timeout)')
  t.equal(bare.code, 'timeout')
  t.same(bare.toDetails(), { kind: 'timeout', path: '/sns/userinfo' })
  const http = new WeChatApiError({ kind: 'http', path: '/x', status: 502, errmsg: '' })
  t.equal(http.message, 'WeChat API /x failed (http): HTTP 502')
  t.same(http.toDetails(), { kind: 'http', path: '/x', errmsg: '', status: 502 })
})
