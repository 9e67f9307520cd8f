import { test } from 'tap'
import { wechatSignature, signatureMatches } from '../../../src/protocol/signature.js'

test('the official server-check example signs to the documented digest', async (t) => {
  // docs/protocol.md §1: Token AAAAA, timestamp 1714036504, nonce 1514711492
  t.equal(wechatSignature(['AAAAA', '1714036504', '1514711492']), 'f464b24fc39322e44b38aa78f5edd27bd1441696')
})

test('signatureMatches accepts only an equal lowercase 40-hex digest', async (t) => {
  const good = 'f464b24fc39322e44b38aa78f5edd27bd1441696'
  t.ok(signatureMatches(good, good))
  t.notOk(signatureMatches(good, good.toUpperCase()), 'uppercase is refused by policy')
  t.notOk(signatureMatches(good, good.slice(0, 39) + '7'), 'one flipped char')
  t.notOk(signatureMatches(good, good.slice(0, 39)), '39 chars')
  t.notOk(signatureMatches(good, good + '0'), '41 chars')
  t.notOk(signatureMatches(good, 'z'.repeat(40)), 'non-hex')
  t.notOk(signatureMatches(good, ''), 'empty')
  t.notOk(signatureMatches('not-a-digest', good), 'a malformed expected value never matches')
})
