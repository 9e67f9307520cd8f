import { test } from 'tap'
import { describeFailure, EXIT } from '../../cli/cli-output.js'
import { SANDBOX_ORIGIN } from '../../src/config.js'
import { WeChatApiError } from '../../src/wechat-api/wechat-api-error.js'

test('WeChat out of reach at the sandbox\'s address: is the sandbox running?', async (t) => {
  const error = new WeChatApiError({ kind: 'network', path: '/cgi-bin/stable_token', detail: 'ECONNREFUSED' })
  t.match(describeFailure(error, SANDBOX_ORIGIN), { exit: EXIT.unavailable, text: /ECONNREFUSED \(WECHAT_API_BASE is the sandbox, http:\/\/127\.0\.0\.1:3100: is `npm run sandbox` running\?\)$/ })
  t.notMatch(describeFailure(error, 'https://api.weixin.qq.com').text, /sandbox/)
  const timeout = new WeChatApiError({ kind: 'timeout', path: '/cgi-bin/menu/get', detail: 'no answer within 3000 ms' })
  t.notMatch(describeFailure(timeout, SANDBOX_ORIGIN).text, /sandbox/, 'only a refused connection suggests it')
})

test('an errcode with no errmsg, or one WeChat has no words for', async (t) => {
  const bare = new WeChatApiError({ kind: 'api', path: '/cgi-bin/menu/get', errcode: 99999 })
  t.same(describeFailure(bare), { text: 'WeChat refused menu/get: errcode 99999', json: { kind: 'api', api: 'menu/get', errcode: 99999, errmsg: undefined }, exit: EXIT.refused })
  const rid = new WeChatApiError({ kind: 'api', path: '/cgi-bin/menu/get', errcode: 46003, errmsg: 'menu no exist rid: [redacted]' })
  t.equal(describeFailure(rid).text, 'WeChat refused menu/get: errcode 46003 (menu no exist): the account has no menu made through the API')
  t.equal(describeFailure(rid).json.errmsg, 'menu no exist rid: [redacted]', 'the JSON keeps WeChat\'s text whole')
})

test('anything unforeseen is 70 with its message only', async (t) => {
  t.same(describeFailure(new Error('Connection is closed.')), { text: 'unexpected failure: Connection is closed.', json: { kind: 'unexpected', message: 'Connection is closed.' }, exit: EXIT.software })
  t.equal(describeFailure('odd').text, 'unexpected failure: odd')
})
