import { test } from 'tap'
import { createFanMemory, DEFAULT_MEMORY_TTL_MS, MAX_REMEMBERED_CHARS, memoryKey } from '../../../src/llm/fan-memory.js'
import { createMemoryStore } from '../../../src/store/memory-store.js'
import type { Store } from '../../../src/store/store.js'
import { recordingLogger } from '../../helpers/bot-context.js'

const FAN = 'oFan00000000000000000000001'

/** A store whose every call fails, as Redis down does, with an error that quotes the key. */
const brokenStore = (): Store => {
  const fail = async (key?: unknown): Promise<never> => { throw Object.assign(new Error(`ECONNREFUSED for ${String(key)}`), { code: 'ECONNREFUSED' }) }
  return { get: fail, set: fail, setIfAbsent: fail, getAndDelete: fail, delete: fail, deleteIfEquals: fail, renewIfEquals: fail, guardedSetIfAbsent: fail, close: async () => {} }
}

test('the last maxTurns turns, as JSON under llm-memory:<openid>, for a day', async (t) => {
  let now = 0
  const store = createMemoryStore({ now: () => now })
  const log = recordingLogger()
  const memory = () => createFanMemory({ store, openid: FAN, maxTurns: 2, log })
  t.same(await memory().recall(), [])
  for (const n of [1, 2, 3]) {
    const m = memory()
    await m.recall()
    await m.remember({ user: `问${n}`, assistant: `答${n}` })
  }
  t.same(await memory().recall(), [{ user: '问2', assistant: '答2' }, { user: '问3', assistant: '答3' }], 'the oldest turn is dropped')
  t.same(JSON.parse(String(await store.get(memoryKey(FAN)))), { turns: [{ user: '问2', assistant: '答2' }, { user: '问3', assistant: '答3' }] })
  t.same(await createFanMemory({ store, openid: 'oOther', maxTurns: 2, log }).recall(), [], 'another fan has none')
  now += DEFAULT_MEMORY_TTL_MS
  t.same(await memory().recall(), [], 'forgotten after a day without a word')
  t.same(log.calls, [])
})

test('a long turn is remembered by its start, in whole code points', async (t) => {
  const store = createMemoryStore()
  const m = createFanMemory({ store, openid: FAN, maxTurns: 5, log: recordingLogger() })
  await m.remember({ user: '短', assistant: '😀'.repeat(MAX_REMEMBERED_CHARS + 10) })
  const [turn] = await createFanMemory({ store, openid: FAN, maxTurns: 5, log: recordingLogger() }).recall()
  t.equal(turn?.assistant, '😀'.repeat(MAX_REMEMBERED_CHARS))
  t.equal(turn?.user, '短')
})

test('forget, a corrupt entry, maxTurns 0', async (t) => {
  const store = createMemoryStore()
  const log = recordingLogger()
  const m = createFanMemory({ store, openid: FAN, maxTurns: 3, log })
  await m.remember({ user: 'a', assistant: 'b' })
  t.equal(await m.forget(), true)
  t.equal(await store.get(memoryKey(FAN)), null)
  t.same(await m.recall(), [])

  for (const corrupt of ['{not json', '[]', '{"turns":[{"user":1}]}', 'null', '{"turns":"x"}']) {
    await store.set(memoryKey(FAN), corrupt, 60_000)
    t.same(await createFanMemory({ store, openid: FAN, maxTurns: 3, log }).recall(), [], corrupt)
  }
  const fresh = createFanMemory({ store, openid: FAN, maxTurns: 3, log })
  await fresh.recall()
  await fresh.remember({ user: 'c', assistant: 'd' })
  t.same(JSON.parse(String(await store.get(memoryKey(FAN)))), { turns: [{ user: 'c', assistant: 'd' }] }, 'a corrupt entry is replaced')

  await store.delete(memoryKey(FAN))
  const none = createFanMemory({ store, openid: FAN, maxTurns: 0, log })
  await none.remember({ user: 'x', assistant: 'y' })
  t.same(await none.recall(), [])
  t.equal(await store.get(memoryKey(FAN)), null, 'maxTurns 0 remembers nothing')
  t.same(log.calls, [])
})

test('a failing store: no memory, a warning without the key or openid, never a rejection', async (t) => {
  const log = recordingLogger()
  const m = createFanMemory({ store: brokenStore(), openid: FAN, maxTurns: 3, log })
  t.same(await m.recall(), [])
  await m.remember({ user: '秘密问题', assistant: '秘密回答' })
  t.equal(await m.forget(), false)
  t.same(log.calls.map((c) => c.obj), [
    { operation: 'recall', errorType: 'Error', code: 'ECONNREFUSED' },
    { operation: 'remember', errorType: 'Error', code: 'ECONNREFUSED' },
    { operation: 'forget', errorType: 'Error', code: 'ECONNREFUSED' }
  ])
  t.notOk(JSON.stringify(log.calls).includes(FAN))
})
