import { test } from 'tap'
import { Type } from '@sinclair/typebox'
import { answerReader, LongId, refuse, wireId } from '../../../src/wechat-api/answer-schema.js'
import { rejectionOf } from '../../fixtures/rejection-of.js'

test('a reader returns the answer typed, extra fields kept, or names the first wrong field', async (t) => {
  const read = answerReader(Type.Object({ ticket: Type.String(), count: Type.Integer() }))
  const answer = { ticket: 't', count: 2, errcode: 0 }
  t.equal(read(answer, '/cgi-bin/x'), answer)
  t.throws(() => read({ ticket: 5, count: 2 }, '/cgi-bin/x'), { name: 'WeChatApiError', kind: 'bad-response', api: 'x', message: /\/ticket: Expected string/ })
  const union = answerReader(Type.Union([Type.Object({ a: Type.String() }), Type.Object({ b: Type.String() })]))
  t.throws(() => union({ c: 1 }, '/cgi-bin/y'), { message: /\(bad-response\): \/: / }, 'a failure at the root is named /')
})

test('long ids: an integer or its string; sent back as a number only while exact', async (t) => {
  const read = answerReader(Type.Object({ id: LongId }))
  t.same(read({ id: 3 }, '/x'), { id: 3 })
  t.same(read({ id: '3147483648000000001' }, '/x'), { id: '3147483648000000001' })
  t.throws(() => read({ id: '' }, '/x'))
  t.equal(wireId('1000000001'), 1000000001)
  t.equal(wireId('3147483648000000001'), '3147483648000000001')
  t.equal(wireId('007'), '007', 'not a canonical number: kept as given')
})

test('refuse throws an invalid-request error before any call', async (t) => {
  t.match(await rejectionOf((async () => refuse('/cgi-bin/menu/create', 'too long'))()), { kind: 'invalid-request', api: 'menu/create', message: /too long/ })
})
