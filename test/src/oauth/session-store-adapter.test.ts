import { test } from 'tap'
import { createMemoryStore } from '../../../src/store/memory-store.js'
import type { Store } from '../../../src/store/store.js'
import { SESSION_TTL_MS, sessionStoreAdapter } from '../../../src/oauth/session-store-adapter.js'
import { StoreUnavailableError } from '../../../src/store/store-call.js'

interface S { cookie?: { expires?: Date | string | null }, login?: string }

function promised<T> (run: (done: (error: unknown, value?: T) => void) => void): Promise<T | undefined> {
  return new Promise((resolve, reject) => { run((error, value) => { error == null ? resolve(value) : reject(error) }) })
}

test('sessions round-trip as JSON under sess:<id>', async (t) => {
  const store = createMemoryStore()
  const adapter = sessionStoreAdapter<S>(store)
  const session: S = { cookie: { expires: new Date(Date.now() + 60_000) }, login: '微信 \u0000 \u202e 🌸' }
  await promised((done) => { adapter.set('abc', session, done) })
  t.ok(await store.get('sess:abc'))
  t.same(await promised<S | null>((done) => { adapter.get('abc', done) }), JSON.parse(JSON.stringify(session)))
  await promised((done) => { adapter.destroy('abc', done) })
  t.equal(await store.get('sess:abc'), null)
  t.equal(await promised<S | null>((done) => { adapter.get('abc', done) }), null, 'absent → null')
})

test('each entry lives as long as its cookie', async (t) => {
  let now = 5_000_000
  const store = createMemoryStore({ now: () => now })
  const adapter = sessionStoreAdapter<S>(store, () => now)
  await promised((done) => { adapter.set('a', { cookie: { expires: new Date(now + 30_000).toISOString() } }, done) })
  await promised((done) => { adapter.set('none', {}, done) })
  await promised((done) => { adapter.set('null', { cookie: { expires: null } }, done) })
  await promised((done) => { adapter.set('garbage', { cookie: { expires: 'not a date' } }, done) })
  await promised((done) => { adapter.set('past', { cookie: { expires: new Date(now - 1) } }, done) })
  now += 1000
  t.equal(await store.get('sess:past'), null, 'an already-expired cookie gets one second')
  now += 29_000
  t.equal(await store.get('sess:a'), null, 'gone with its cookie')
  now += SESSION_TTL_MS - 30_001
  for (const id of ['none', 'null', 'garbage']) t.not(await store.get(`sess:${id}`), null, `${id}: the 7-day default`)
  now += 1
  for (const id of ['none', 'null', 'garbage']) t.equal(await store.get(`sess:${id}`), null, `${id}: expired after 7 days`)
})

test('unreadable entries are no session', async (t) => {
  const store = createMemoryStore()
  const adapter = sessionStoreAdapter<S>(store)
  const entries = [['json', '{oops'], ['array', '[1]'], ['null', 'null'], ['string', '"x"']] as const
  for (const [id, raw] of entries) {
    await store.set(`sess:${id}`, raw, 60_000)
    t.equal(await promised<S | null>((done) => { adapter.get(id, done) }), null, id)
  }
})

test('store failures are passed on as 503s without the command, not read as "no session"', async (t) => {
  // What ioredis does: the failed command's arguments ride on the error.
  const broken = Object.assign(new Error('Command aborted due to connection close'), { command: { name: 'get', args: ['wemp:sess:SECRETID'] } })
  const failing: Store = {
    get: async () => { throw broken },
    set: async () => { throw broken },
    setIfAbsent: async () => { throw broken },
    getAndDelete: async () => { throw broken },
    delete: async () => { throw broken },
    deleteIfEquals: async () => { throw broken },
    renewIfEquals: async () => { throw broken },
    guardedSetIfAbsent: async () => { throw broken },
    close: async () => {}
  }
  const adapter = sessionStoreAdapter<S>(failing)
  const failures = [
    await promised((done) => { adapter.get('a', done) }).catch((error: unknown) => error),
    await promised((done) => { adapter.set('a', {}, done) }).catch((error: unknown) => error),
    await promised((done) => { adapter.destroy('a', done) }).catch((error: unknown) => error)
  ]
  t.same(failures.map((e) => (e as Error).message), [
    'shared store unavailable (session get: Error)',
    'shared store unavailable (session set: Error)',
    'shared store unavailable (session destroy: Error)'
  ])
  for (const failure of failures) {
    t.ok(failure instanceof StoreUnavailableError)
    t.equal((failure as StoreUnavailableError).statusCode, 503)
    t.notMatch(JSON.stringify(failure), /SECRETID/)
    t.notMatch(String((failure as Error).stack), /SECRETID/)
  }
})
