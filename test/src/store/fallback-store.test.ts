import { test } from 'tap'
import { createFallbackStore } from '../../../src/store/fallback-store.js'
import { createMemoryStore } from '../../../src/store/memory-store.js'
import { createRedisStore } from '../../../src/store/redis-store.js'
import type { Store } from '../../../src/store/store.js'

const TTL = 60_000

/** A shared store that is down: every operation rejects, as a Redis store does with no connection. */
function downStore (): Store & { calls: string[] } {
  const calls: string[] = []
  const fail = (op: string) => async (): Promise<never> => {
    calls.push(op)
    throw new Error(`${op}: connection refused`)
  }
  return {
    calls,
    get: fail('get'),
    set: fail('set'),
    setIfAbsent: fail('setIfAbsent'),
    getAndDelete: fail('getAndDelete'),
    delete: fail('delete'),
    deleteIfEquals: fail('deleteIfEquals'),
    renewIfEquals: fail('renewIfEquals'),
    guardedSetIfAbsent: fail('guardedSetIfAbsent'),
    close: fail('close')
  }
}

function recorder () {
  const fallbacks: Array<{ operation: string, error: unknown }> = []
  return { fallbacks, onFallback: (operation: string, error: unknown) => { fallbacks.push({ operation, error }) } }
}

test('a working primary serves every operation; the fallback stays untouched', async (t) => {
  const primary = createMemoryStore()
  const fallback = createMemoryStore()
  const { fallbacks, onFallback } = recorder()
  const store = createFallbackStore({ primary, fallback, onFallback })

  await store.set('k', 'v', TTL)
  t.equal(await primary.get('k'), 'v', 'written to the primary')
  t.equal(await fallback.get('k'), null, 'not to the fallback')
  t.equal(await store.get('k'), 'v')
  t.equal(await store.setIfAbsent('k', 'w', TTL), false)
  t.equal(await store.setIfAbsent('n', 'w', TTL), true)
  t.equal(await primary.get('n'), 'w')
  t.same(await store.guardedSetIfAbsent({ key: 'g', value: '1', ttlMs: TTL }, 'c', 'x', TTL), { outcome: 'set' })
  t.equal(await primary.get('c'), 'x', 'the guarded claim went to the primary')
  t.equal(await store.renewIfEquals('n', 'other', TTL), false)
  t.equal(await store.renewIfEquals('n', 'w', TTL), true)
  t.equal(await store.deleteIfEquals('n', 'other'), false)
  t.equal(await store.deleteIfEquals('n', 'w'), true)
  t.equal(await store.getAndDelete('k'), 'v')
  t.equal(await primary.get('k'), null)
  await primary.set('d', 'x', TTL)
  await store.delete('d')
  t.equal(await primary.get('d'), null)
  t.same(fallbacks, [], 'no fallback while the primary answers')
})

test('a failing primary: each operation falls back to memory and is reported once', async (t) => {
  const primary = downStore()
  const fallback = createMemoryStore()
  const { fallbacks, onFallback } = recorder()
  const store = createFallbackStore({ primary, fallback, onFallback })

  t.equal(await store.setIfAbsent('claim', 'pending', TTL), true)
  t.equal(await store.setIfAbsent('claim', 'pending', TTL), false, 'the local memory still dedups (fail-open, per instance)')
  await store.set('k', 'v', TTL)
  t.equal(await store.get('k'), 'v')
  t.equal(await fallback.get('k'), 'v', 'kept in the fallback')
  t.equal(await store.getAndDelete('k'), 'v')
  t.equal(await store.get('k'), null)
  t.equal(await store.renewIfEquals('claim', 'pending', TTL), true, 'a lease taken in memory is renewed in memory')
  t.equal(await store.renewIfEquals('lost', 'pending', TTL), false, 'one the fallback never saw is not')
  t.equal(await store.deleteIfEquals('claim', 'pending'), true)
  t.same(await store.guardedSetIfAbsent({ key: 'g', value: '1', ttlMs: TTL }, 'c', 'x', TTL), { outcome: 'set' })
  t.same(await store.guardedSetIfAbsent({ key: 'g', value: '2', ttlMs: TTL }, 'c', 'x', TTL), { outcome: 'guard-differs' }, 'the guard holds in memory')
  await fallback.set('d', 'x', TTL)
  await store.delete('d')
  t.equal(await fallback.get('d'), null)

  const operations = ['setIfAbsent', 'setIfAbsent', 'set', 'get', 'getAndDelete', 'get', 'renewIfEquals', 'renewIfEquals', 'deleteIfEquals', 'guardedSetIfAbsent', 'guardedSetIfAbsent', 'delete']
  t.same(fallbacks.map((f) => f.operation), operations)
  t.same(primary.calls, operations, 'the primary was tried first every time')
  t.match(fallbacks[0]?.error, { message: 'setIfAbsent: connection refused' }, 'the cause is passed on')
})

test('the fallback failing too propagates its error', async (t) => {
  const { fallbacks, onFallback } = recorder()
  const store = createFallbackStore({ primary: downStore(), fallback: downStore(), onFallback })
  await t.rejects(store.get('k'), { message: 'get: connection refused' })
  t.equal(fallbacks.length, 1)
})

test('close closes the fallback only: the primary belongs to its creator', async (t) => {
  const primary = createMemoryStore()
  const fallback = createMemoryStore()
  await primary.set('p', '1', TTL)
  await fallback.set('f', '1', TTL)
  const store = createFallbackStore({ primary, fallback, onFallback: () => t.fail('no fallback expected') })
  await store.close()
  t.equal(await primary.get('p'), '1', 'the primary is untouched')
  t.equal(await fallback.get('f'), null, 'the fallback was cleared')
})

test('over a real Redis store that cannot connect, operations answer from memory', async (t) => {
  // Nothing listens on port 1: the store rejects at once (no offline queue).
  const primary = createRedisStore({ url: 'redis://127.0.0.1:1', keyPrefix: 'wemp-test:fallback:' })
  t.teardown(() => primary.close())
  const { fallbacks, onFallback } = recorder()
  const store = createFallbackStore({ primary, fallback: createMemoryStore(), onFallback })
  t.equal(await store.setIfAbsent('push:x', 'pending', TTL), true)
  t.equal(await store.setIfAbsent('push:x', 'pending', TTL), false)
  t.same(fallbacks.map((f) => f.operation), ['setIfAbsent', 'setIfAbsent'])
  t.ok(fallbacks.every((f) => f.error instanceof Error))
})
