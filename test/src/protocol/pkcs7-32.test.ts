import { test } from 'tap'
import { pkcs7PadCount32, pkcs7Unpad32, WECHAT_PAD_BLOCK } from '../../../src/protocol/pkcs7-32.js'

test('padding adds 32 - len % 32 bytes of that value, a whole block when aligned', async (t) => {
  t.equal(WECHAT_PAD_BLOCK, 32)
  for (let length = 0; length <= 96; length++) {
    const data = Buffer.alloc(length, 0xab)
    const n = length % 32 === 0 ? 32 : 32 - (length % 32)
    t.equal(pkcs7PadCount32(length), n, `pad count at length ${length}`)
    const padded = Buffer.concat([data, Buffer.alloc(n, n)])
    t.equal(padded.length, length + n, `length ${length}`)
    t.equal(padded.length % 32, 0)
    t.ok(padded.subarray(0, length).equals(data))
    t.ok(padded.subarray(length).every((byte) => byte === n), `pad ${n} bytes of ${n}`)
    const unpadded = pkcs7Unpad32(padded)
    t.ok(unpadded?.equals(data), `round trip at length ${length}`)
  }
})

test('malformed padding is refused, never read as "no padding"', async (t) => {
  const body = Buffer.alloc(40, 0x41)
  const withTail = (tail: number[]): Buffer => Buffer.concat([body, Buffer.from(tail)])
  t.equal(pkcs7Unpad32(Buffer.alloc(0)), undefined, 'empty')
  t.equal(pkcs7Unpad32(withTail([0])), undefined, 'pad 0')
  t.equal(pkcs7Unpad32(withTail(new Array(33).fill(33))), undefined, 'pad 33')
  t.equal(pkcs7Unpad32(withTail(new Array(32).fill(255))), undefined, 'pad 255')
  t.equal(pkcs7Unpad32(withTail([19, ...new Array(19).fill(20)])), undefined, 'first pad byte differs')
  t.equal(pkcs7Unpad32(withTail([20, 20, 9, ...new Array(17).fill(20)])), undefined, 'middle pad byte differs')
  t.equal(pkcs7Unpad32(Buffer.from([6, 6, 6, 6, 6])), undefined, 'pad longer than the data')
  t.ok(pkcs7Unpad32(withTail(new Array(20).fill(20)))?.equals(body), 'pad 20 accepted')
  t.ok(pkcs7Unpad32(withTail(new Array(32).fill(32)))?.equals(body), 'pad 32 accepted')
  t.ok(pkcs7Unpad32(withTail([1]))?.equals(body), 'pad 1 accepted')
})
