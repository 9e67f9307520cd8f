import { test } from 'tap'
import { createMemoryStore } from '../../../src/store/memory-store.js'
import { storeContract } from './store-contract.js'

/** A clock the test moves by hand, so TTL tests are exact and instant. */
function fakeClock (start = 1_700_000_000_000): { now: () => number, advance: (ms: number) => void } {
  let current = start
  return { now: () => current, advance: (ms) => { current += ms } }
}

test('memory store honours the Store contract', async (t) => {
  storeContract(t, async () => {
    const clock = fakeClock()
    return {
      store: createMemoryStore({ now: clock.now }),
      elapse: async (ms) => clock.advance(ms)
    }
  })
})

test('an entry lives until exactly its TTL, then disappears', async (t) => {
  const clock = fakeClock()
  const store = createMemoryStore({ now: clock.now })
  await store.set('k', 'v', 10)
  clock.advance(9)
  t.equal(await store.get('k'), 'v', '1 ms before expiry')
  clock.advance(1)
  t.equal(await store.get('k'), null, 'at expiry')
  t.equal(await store.deleteIfEquals('k', 'v'), false, 'an expired value no longer matches')
})

test('past maxEntries the oldest entries are evicted, so memory stays bounded', async (t) => {
  const store = createMemoryStore({ maxEntries: 100, now: fakeClock().now })
  const keys = Array.from({ length: 10_000 }, (_, i) => `flood:${i}`)
  for (const key of keys) await store.setIfAbsent(key, 'x', 60_000)
  const present = []
  for (const key of keys) if (await store.get(key) !== null) present.push(key)
  t.same(present, keys.slice(-100), 'only the newest 100 remain')
})

test('rewriting a key makes it the newest, so it outlives older keys under eviction', async (t) => {
  const store = createMemoryStore({ maxEntries: 3, now: fakeClock().now })
  await store.set('a', '1', 60_000)
  await store.set('b', '2', 60_000)
  await store.set('c', '3', 60_000)
  await store.set('a', '1b', 60_000)
  await store.set('d', '4', 60_000)
  t.equal(await store.get('b'), null, 'b was the oldest and is evicted')
  t.equal(await store.get('a'), '1b')
  t.equal(await store.get('c'), '3')
  t.equal(await store.get('d'), '4')
})

test('defaults: real clock and a default bound work without options', async (t) => {
  const store = createMemoryStore()
  await store.set('k', 'v', 60_000)
  t.equal(await store.get('k'), 'v')
  await store.set('gone', 'v', 1)
  await new Promise((resolve) => setTimeout(resolve, 5))
  t.equal(await store.get('gone'), null, 'expires on the real clock')
})

test('close empties the store', async (t) => {
  const store = createMemoryStore({ now: fakeClock().now })
  await store.set('k', 'v', 60_000)
  await store.close()
  t.equal(await store.get('k'), null)
})
