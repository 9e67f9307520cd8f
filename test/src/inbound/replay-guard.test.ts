import { test } from 'tap'
import { isBodySwap } from '../../../src/inbound/replay-guard.js'
import { createMemoryStore } from '../../../src/store/memory-store.js'
import type { XmlFields } from '../../../src/protocol/xml-codec.js'

const SIG = '0123456789abcdef0123456789abcdef01234567'
const WINDOW_MS = 600_000
const fromA: XmlFields = { ToUserName: 'gh_0123456789ab', FromUserName: 'oFanA', CreateTime: '1700000000', MsgType: 'text', Content: 'hi', MsgId: '1' }
const fromB: XmlFields = { ...fromA, FromUserName: 'oFanB' }

test('the first body seen with a signature is not a swap, nor is the identical body again (a retry)', async (t) => {
  const store = createMemoryStore()
  t.equal(await isBodySwap(store, SIG, fromA, WINDOW_MS), false)
  t.equal(await isBodySwap(store, SIG, fromA, WINDOW_MS), false)
  t.equal(await isBodySwap(store, SIG, { ...fromA }, WINDOW_MS), false, 'an equal copy is the same body')
  t.match(await store.get(`sig:${SIG}`), /^[A-Za-z0-9+/]{43}=$/, 'a sha256 digest is kept under sig:<signature>, not the body')
})

test('the same signature with another body is a swap (B 14)', async (t) => {
  const store = createMemoryStore()
  t.equal(await isBodySwap(store, SIG, fromA, WINDOW_MS), false)
  t.equal(await isBodySwap(store, SIG, fromB, WINDOW_MS), true, 'another FromUserName')
  t.equal(await isBodySwap(store, SIG, { ...fromA, Content: 'hi!' }, WINDOW_MS), true, 'another Content')
  t.equal(await isBodySwap(store, SIG, { ...fromA, Extra: 'x' }, WINDOW_MS), true, 'an extra field')
  t.equal(await isBodySwap(store, SIG, fromA, WINDOW_MS), false, 'the first body is still the accepted one')
})

test('signatures are independent', async (t) => {
  const store = createMemoryStore()
  t.equal(await isBodySwap(store, SIG, fromA, WINDOW_MS), false)
  t.equal(await isBodySwap(store, SIG.replace('0', 'f'), fromB, WINDOW_MS), false)
})

test('the remembered body expires with the window', async (t) => {
  let now = 0
  const store = createMemoryStore({ now: () => now })
  t.equal(await isBodySwap(store, SIG, fromA, 1000), false)
  now = 999
  t.equal(await isBodySwap(store, SIG, fromB, 1000), true, 'inside the window')
  now = 1000
  t.equal(await isBodySwap(store, SIG, fromB, 1000), false, 'past the window the signature is stale anyway; the new body is remembered')
  t.equal(await isBodySwap(store, SIG, fromA, 1000), true)
})

test('a remembered body that expires between the claim and the read is not a swap', async (t) => {
  // Each clock read advances 600 ms: the claim sees the entry alive, the read right after sees it gone.
  let ticks = 0
  const store = createMemoryStore({ now: () => 600 * ticks++ })
  t.equal(await isBodySwap(store, SIG, fromA, 1000), false)
  t.equal(await isBodySwap(store, SIG, fromB, 1000), false)
})
