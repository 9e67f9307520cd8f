import { test } from 'tap'
import { WeChatApiError, apiNameOf, operatorHint, scrubUpstreamText } from '../../../src/wechat-api/wechat-api-error.js'

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

test('the API name as WeChat writes it, and what to do about 45009 and 48001', async (t) => {
  t.equal(new WeChatApiError({ kind: 'timeout', path: '/cgi-bin/menu/create' }).api, 'menu/create')
  t.equal(new WeChatApiError({ kind: 'timeout', path: '/sns/userinfo' }).api, 'sns/userinfo')
  t.equal(apiNameOf('/cgi-bin/message/custom/typing'), 'message/custom/typing')
  const quota = new WeChatApiError({ kind: 'api', path: '/cgi-bin/user/get', errcode: 45009, errmsg: 'reach max api daily quota limit' })
  t.match(quota.hint, /^the daily quota of user\/get is used up: wait until midnight Beijing time, or reset it .*clear_quota/)
  t.equal(quota.message, `WeChat API /cgi-bin/user/get failed (api): errcode 45009, reach max api daily quota limit, ${quota.hint ?? ''}`)
  const denied = new WeChatApiError({ kind: 'api', path: '/cgi-bin/tags/create', errcode: 48001, errmsg: 'api unauthorized' })
  t.match(denied.hint, /^this account may not call tags\/create: check 开发 → 接口权限 .*verified \(认证\) service account/)
  t.equal(new WeChatApiError({ kind: 'api', path: '/x', errcode: 40001 }).hint, undefined)
  t.equal(new WeChatApiError({ kind: 'http', path: '/x', errcode: 45009 }).hint, undefined, 'only an errcode answer has a hint')
  t.equal(operatorHint(undefined, 'x'), undefined)
  const refused = new WeChatApiError({ kind: 'invalid-request', path: '/cgi-bin/menu/create', detail: 'button: at least 1 button' })
  t.equal(refused.message, 'WeChat API /cgi-bin/menu/create failed (invalid-request): button: at least 1 button')
  t.equal(refused.detail, 'button: at least 1 button', 'the detail alone, for a CLI to print')
  t.equal(new WeChatApiError({ kind: 'api', path: '/x', errcode: 40001 }).detail, undefined)
  t.same(quota.toDetails(), { kind: 'api', path: '/cgi-bin/user/get', errcode: 45009, errmsg: 'reach max api daily quota limit' }, 'the hint is derived, not stored')
})
