import { test } from 'tap'
import { CONTINUE_NOTICE, CONTINUE_NOTICE_BYTES, createHeldParts, DEFAULT_HELD_PARTS_TTL_MS, heldPartsKey } from '../../../src/llm/held-parts.js'
import { createMemoryStore } from '../../../src/store/memory-store.js'
import type { Store } from '../../../src/store/store.js'
import { recordingLogger } from '../../helpers/bot-context.js'

const FAN = 'oFan00000000000000000000001'

test('held parts come one per "继续", the notice while more remain, for an hour', async (t) => {
  let now = 0
  const store = createMemoryStore({ now: () => now })
  const held = createHeldParts({ store, openid: FAN, log: recordingLogger() })
  t.equal(CONTINUE_NOTICE_BYTES, Buffer.byteLength(CONTINUE_NOTICE))
  t.equal(await held.hold(['二', '三']), true)
  t.same(JSON.parse(String(await store.get(heldPartsKey(FAN)))), ['二', '三'])
  t.equal(await held.next(), `二${CONTINUE_NOTICE}`)
  t.equal(await held.next(), '三')
  t.equal(await held.next(), null, 'nothing more')

  await held.hold(['x'])
  now += DEFAULT_HELD_PARTS_TTL_MS
  t.equal(await held.next(), null, 'gone after an hour')

  await held.hold(['y'])
  await held.drop()
  t.equal(await held.next(), null, 'dropped')
  for (const corrupt of ['{', '{"a":1}', '[1,2]']) {
    await store.set(heldPartsKey(FAN), corrupt, 1000)
    t.equal(await held.next(), null, corrupt)
  }
})

test('two "继续" at once get one part each, never the same one', async (t) => {
  const store = createMemoryStore()
  const held = createHeldParts({ store, openid: FAN, log: recordingLogger() })
  await held.hold(['only'])
  t.same((await Promise.all([held.next(), held.next()])).sort(), ['only', null].sort())
})

test('a failing store: nothing held, nothing to give, warnings without the openid', async (t) => {
  const fail = async (): Promise<never> => { throw Object.assign(new Error(`down: ${heldPartsKey(FAN)}`), { code: 'ECONNRESET' }) }
  const store: Store = { get: fail, set: fail, setIfAbsent: fail, getAndDelete: fail, delete: fail, deleteIfEquals: fail, renewIfEquals: fail, guardedSetIfAbsent: fail, close: async () => {} }
  const log = recordingLogger()
  const held = createHeldParts({ store, openid: FAN, log })
  t.equal(await held.hold(['a']), false)
  t.equal(await held.next(), null)
  await held.drop()
  t.same(log.calls.map((c) => c.obj.operation), ['hold', 'next', 'drop'])
  t.notOk(JSON.stringify(log.calls).includes(FAN))
})

test('when the rest cannot be kept again, the part is given without the notice', async (t) => {
  const inner = createMemoryStore()
  const store: Store = { ...inner, set: async (key, value, ttl) => { if (key.startsWith('llm-more:') && JSON.parse(value).length === 1) throw new Error('full'); await inner.set(key, value, ttl) } }
  const held = createHeldParts({ store, openid: FAN, log: recordingLogger() })
  await held.hold(['a', 'b'])
  t.equal(await held.next(), 'a', 'no promise of a "继续" that would find nothing')
})
