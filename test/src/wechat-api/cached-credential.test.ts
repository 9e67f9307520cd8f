import { test } from 'tap'
import { rejectionOf } from '../../fixtures/rejection-of.js'
import { createMemoryStore } from '../../../src/store/memory-store.js'
import { createCachedCredential, credentialTtlMs } from '../../../src/wechat-api/cached-credential.js'
import type { FetchedCredential } from '../../../src/wechat-api/cached-credential.js'

const KEY = 'wechat:wxtest:thing'

function counting (values: string[]): { fetch: () => Promise<FetchedCredential>, calls: () => number } {
  let calls = 0
  return {
    fetch: async () => ({ value: values[calls++] ?? 'exhausted', expiresInSeconds: 7200 }),
    calls: () => calls
  }
}

test('the cache lifetime is expiry minus five minutes, at least 30 s, never past expiry', async (t) => {
  t.equal(credentialTtlMs(7200), 6900_000)
  t.equal(credentialTtlMs(301), 30_000)
  t.equal(credentialTtlMs(10), 10_000)
})

test('a waiter whose lock holder never finishes gives up after the bounded wait', async (t) => {
  const store = createMemoryStore()
  await store.set(`${KEY}:lock`, 'held by a crashed instance', 60_000)
  const source = counting(['v1'])
  const credential = createCachedCredential({ store, key: KEY, path: '/thing', fetch: source.fetch, maxWaitMs: 150, pollMs: 20 })
  t.match(await rejectionOf(credential.get()), { kind: 'timeout', path: '/thing', message: /held the refresh lock for 150 ms/ })
  t.equal(source.calls(), 0)
})

test('a waiter picks up the value the lock holder stores', async (t) => {
  const store = createMemoryStore()
  await store.set(`${KEY}:lock`, 'other instance', 60_000)
  const source = counting(['mine'])
  const credential = createCachedCredential({ store, key: KEY, path: '/thing', fetch: source.fetch, pollMs: 10 })
  const getting = credential.get()
  await store.set(KEY, 'theirs', 60_000)
  t.equal(await getting, 'theirs')
  t.equal(source.calls(), 0)
})

test('an expired lock (holder crashed) is taken over', async (t) => {
  let now = 0
  const store = createMemoryStore({ now: () => now })
  await store.set(`${KEY}:lock`, 'crashed', 10_000)
  const source = counting(['v1'])
  const credential = createCachedCredential({ store, key: KEY, path: '/thing', fetch: source.fetch, pollMs: 10 })
  const getting = credential.get()
  now += 10_000
  t.equal(await getting, 'v1')
  t.equal(source.calls(), 1)
})

test('a value stored between the miss and the lock is used without a fetch', async (t) => {
  const store = createMemoryStore()
  const source = counting(['mine'])
  const credential = createCachedCredential({ store, key: KEY, path: '/thing', fetch: source.fetch })
  const getting = credential.get()
  // get() has read the empty cache synchronously; the lock is taken after the next turn.
  await store.set(KEY, 'theirs', 60_000)
  t.equal(await getting, 'theirs')
  t.equal(source.calls(), 0)
})

test('invalidate removes only the value that failed', async (t) => {
  const store = createMemoryStore()
  const source = counting(['v1', 'v2'])
  const credential = createCachedCredential({ store, key: KEY, path: '/thing', fetch: source.fetch })
  t.equal(await credential.get(), 'v1')
  t.equal(await credential.invalidate('v0'), false, 'an older value is not current')
  t.equal(await credential.get(), 'v1')
  t.equal(await credential.invalidate('v1'), true)
  t.equal(await credential.get(), 'v2')
  t.equal(source.calls(), 2)
})

test('an unexpected failure in fetch propagates, releases the lock and sets no cool-down', async (t) => {
  const store = createMemoryStore()
  let calls = 0
  const credential = createCachedCredential({
    store,
    key: KEY,
    path: '/thing',
    fetch: async () => {
      if (calls++ === 0) throw new Error('store trouble')
      return { value: 'v', expiresInSeconds: 60 }
    }
  })
  t.match(await rejectionOf(credential.get()), { message: 'store trouble' })
  t.equal(await store.get(`${KEY}:lock`), null)
  t.equal(await store.get(`${KEY}:cooldown`), null)
  t.equal(await credential.get(), 'v')
})
