import { test } from 'tap'
import { bodyGuard } from '../../../src/inbound/replay-guard.js'
import { createMemoryStore } from '../../../src/store/memory-store.js'
import type { XmlFields } from '../../../src/protocol/xml-codec.js'

const SIG = '0123456789abcdef0123456789abcdef01234567'
const WINDOW_MS = 600_000
const fromA: XmlFields = { ToUserName: 'gh_0123456789ab', FromUserName: 'oFanA', CreateTime: '1700000000', MsgType: 'text', Content: 'hi', MsgId: '1' }
const fromB: XmlFields = { ...fromA, FromUserName: 'oFanB' }

test('one guard per signature, over the body: equal bodies give equal guards, any change another', async (t) => {
  const a = bodyGuard(SIG, fromA, WINDOW_MS)
  t.equal(a.key, `sig:${SIG}`)
  t.equal(a.ttlMs, WINDOW_MS)
  t.same(bodyGuard(SIG, { ...fromA }, WINDOW_MS), a, 'an equal copy is the same body')
  t.not(bodyGuard(SIG, fromB, WINDOW_MS).value, a.value, 'another FromUserName')
  t.not(bodyGuard(SIG, { ...fromA, Content: 'hi!' }, WINDOW_MS).value, a.value, 'another Content')
  t.not(bodyGuard(SIG, { ...fromA, Extra: 'x' }, WINDOW_MS).value, a.value, 'an extra field')
  t.not(bodyGuard(SIG.replace('0', 'f'), fromA, WINDOW_MS).key, a.key, 'another signature, another key')
  t.match(a.value, /^[A-Za-z0-9+/]{43}=$/, 'a SHA-256 digest, not the body itself')
})

test('in a store: the first body is kept, a retry passes, another body is refused, until the window ends', async (t) => {
  let now = 1_700_000_000_000
  const store = createMemoryStore({ now: () => now })
  const claim = async (fields: XmlFields, n: number) => (await store.guardedSetIfAbsent(bodyGuard(SIG, fields, 1000), `push:${n}`, 'pending', 60_000)).outcome
  t.equal(await claim(fromA, 1), 'set')
  t.equal(await claim(fromA, 1), 'present', 'WeChat\'s retry of the same body')
  t.equal(await claim(fromB, 2), 'guard-differs', 'another body inside the window')
  now += 1001
  t.equal(await claim(fromB, 2), 'set', 'past the window the signature is stale anyway; the new body is remembered')
  t.equal(await claim(fromA, 3), 'guard-differs')
})
