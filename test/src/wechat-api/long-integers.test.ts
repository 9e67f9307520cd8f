import { test } from 'tap'
import { parseJsonKeepingLongIntegers } from '../../../src/wechat-api/long-integers.js'

test('integers of 16+ digits become exact strings', async (t) => {
  t.same(parseJsonKeepingLongIntegers('{"errcode":0,"msgid":200228332000000001234}'), { errcode: 0, msgid: '200228332000000001234' })
  t.same(parseJsonKeepingLongIntegers('[-9007199254740993, 1234567890123456]'), ['-9007199254740993', '1234567890123456'])
  t.same(parseJsonKeepingLongIntegers('{"a":\n  12345678901234567890 }'), { a: '12345678901234567890' })
})

test('short numbers, fractions, exponents and digits inside strings are untouched', async (t) => {
  t.same(parseJsonKeepingLongIntegers('{"expires_in":7200,"n":-1}'), { expires_in: 7200, n: -1 })
  t.same(parseJsonKeepingLongIntegers('[1.12345678901234567, 12345678901234567.5, 1e-12345678901234567, 12345678901234567e2]'),
    [1.12345678901234567, 12345678901234567.5, 0, 12345678901234567e2])
  t.same(parseJsonKeepingLongIntegers('{"s":"id 12345678901234567890","q":"say \\"12345678901234567890\\""}'),
    { s: 'id 12345678901234567890', q: 'say "12345678901234567890"' })
})

test('invalid JSON still throws', async (t) => {
  t.throws(() => parseJsonKeepingLongIntegers('{"a":1'))
  t.throws(() => parseJsonKeepingLongIntegers('<html>'))
})
