import { test } from 'tap'
import { classifyExchangeError, failureLogFields } from '../../../src/oauth/exchange-failure.js'
import { WeChatApiError } from '../../../src/wechat-api/wechat-api-error.js'

const api = (errcode: number): WeChatApiError => new WeChatApiError({ kind: 'api', path: '/sns/oauth2/access_token', errcode, errmsg: 'x' })

test('classification by errcode, never by errmsg', async (t) => {
  t.equal(classifyExchangeError(api(40163)), 'code-used')
  for (const errcode of [40029, 42003, 41008]) t.equal(classifyExchangeError(api(errcode)), 'code-invalid', String(errcode))
  for (const errcode of [-1, 40013, 40125, 48001]) t.equal(classifyExchangeError(api(errcode)), 'upstream', String(errcode))
  t.equal(classifyExchangeError(new WeChatApiError({ kind: 'timeout', path: '/sns/oauth2/access_token' })), 'upstream')
  t.equal(classifyExchangeError(new WeChatApiError({ kind: 'non-json', path: '/sns/oauth2/access_token' })), 'upstream')
  t.equal(classifyExchangeError(new Error('bug')), 'upstream', 'anything else still gets the friendly page')
})

test('log fields: kind and errcode only', async (t) => {
  t.same(failureLogFields(api(40029)), { kind: 'api', errcode: 40029 })
  t.same(failureLogFields(new WeChatApiError({ kind: 'timeout', path: '/sns/userinfo', detail: 'code=SECRET' })), { kind: 'timeout' })
  t.same(failureLogFields(new Error('access_token=SECRET')), { kind: 'unexpected' })
})
