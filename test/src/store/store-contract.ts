import type { Test } from 'tap'
import type { Store } from '../../../src/store/store.js'

/** One fresh, empty store plus a way to let time pass for it (fake clock or real sleep). */
export interface ContractSubject {
  store: Store
  elapse(ms: number): Promise<void>
}

const LONG_TTL = 60_000

/**
 * The behaviour every Store must share, so callers (dedup, locks, OAuth state) can swap the
 * memory store for Redis without noticing. Each subtest gets its own empty store.
 */
export function storeContract (t: Test, makeStore: () => Promise<ContractSubject>): void {
  async function fresh (tt: Test): Promise<ContractSubject> {
    const subject = await makeStore()
    tt.teardown(() => subject.store.close())
    return subject
  }

  t.test('get returns null for a missing key and the value after set; set overwrites', async (t) => {
    const { store } = await fresh(t)
    t.equal(await store.get('k'), null)
    await store.set('k', 'one', LONG_TTL)
    t.equal(await store.get('k'), 'one')
    await store.set('k', 'two', LONG_TTL)
    t.equal(await store.get('k'), 'two')
    await store.set('empty', '', LONG_TTL)
    t.equal(await store.get('empty'), '', 'an empty string is a value, not a miss')
  })

  t.test('keys expire after their TTL', async (t) => {
    const { store, elapse } = await fresh(t)
    await store.set('short', 'v', 50)
    await store.set('long', 'v', LONG_TTL)
    t.equal(await store.get('short'), 'v', 'alive before the TTL')
    await elapse(120)
    t.equal(await store.get('short'), null, 'gone after the TTL')
    t.equal(await store.get('long'), 'v', 'a longer TTL is unaffected')
  })

  t.test('set replaces the TTL of an existing key', async (t) => {
    const { store, elapse } = await fresh(t)
    await store.set('k', 'old', LONG_TTL)
    await store.set('k', 'new', 50)
    await elapse(120)
    t.equal(await store.get('k'), null, 'the second, shorter TTL applies')
  })

  t.test('setIfAbsent writes only when the key is absent or expired', async (t) => {
    const { store, elapse } = await fresh(t)
    t.equal(await store.setIfAbsent('k', 'first', 50), true)
    t.equal(await store.setIfAbsent('k', 'second', LONG_TTL), false)
    t.equal(await store.get('k'), 'first', 'a refused claim does not overwrite')
    await elapse(120)
    t.equal(await store.setIfAbsent('k', 'third', LONG_TTL), true, 'an expired claim can be taken again')
    t.equal(await store.get('k'), 'third')
  })

  t.test('20 concurrent setIfAbsent calls: exactly one wins and its value stays', async (t) => {
    const { store } = await fresh(t)
    const results = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => await store.setIfAbsent('dedup', `claim-${i}`, LONG_TTL))
    )
    const winners = results.flatMap((won, i) => won ? [i] : [])
    t.equal(winners.length, 1, 'exactly one true')
    t.equal(await store.get('dedup'), `claim-${winners[0]}`, 'the stored value is the winner\'s')
  })

  t.test('getAndDelete takes a value once', async (t) => {
    const { store } = await fresh(t)
    t.equal(await store.getAndDelete('missing'), null)
    await store.set('state', 'nonce', LONG_TTL)
    t.equal(await store.getAndDelete('state'), 'nonce')
    t.equal(await store.getAndDelete('state'), null, 'second take gets nothing')
    t.equal(await store.get('state'), null)
  })

  t.test('10 concurrent getAndDelete calls: exactly one gets the value', async (t) => {
    const { store } = await fresh(t)
    await store.set('oauth-state', 'once', LONG_TTL)
    const results = await Promise.all(Array.from({ length: 10 }, async () => await store.getAndDelete('oauth-state')))
    t.same(results.filter((r) => r !== null), ['once'])
  })

  t.test('getAndDelete does not return an expired value', async (t) => {
    const { store, elapse } = await fresh(t)
    await store.set('state', 'stale', 50)
    await elapse(120)
    t.equal(await store.getAndDelete('state'), null)
  })

  t.test('delete removes a key and ignores a missing one', async (t) => {
    const { store } = await fresh(t)
    await store.set('k', 'v', LONG_TTL)
    await store.delete('k')
    t.equal(await store.get('k'), null)
    await t.resolves(store.delete('never-set'))
  })

  t.test('deleteIfEquals deletes only a matching value', async (t) => {
    const { store } = await fresh(t)
    await store.set('lock', 'holder-a', LONG_TTL)
    t.equal(await store.deleteIfEquals('lock', 'holder-b'), false, 'someone else\'s token')
    t.equal(await store.deleteIfEquals('lock', 'holder-'), false, 'a prefix is not equal')
    t.equal(await store.get('lock'), 'holder-a', 'kept')
    t.equal(await store.deleteIfEquals('lock', 'holder-a'), true)
    t.equal(await store.get('lock'), null, 'deleted')
    t.equal(await store.deleteIfEquals('lock', 'holder-a'), false, 'nothing left to delete')
    t.equal(await store.deleteIfEquals('never-set', ''), false, 'a missing key does not equal the empty string')
  })

  t.test('an expired lock holder cannot release the next holder\'s lock', async (t) => {
    const { store, elapse } = await fresh(t)
    t.equal(await store.setIfAbsent('token-lock', 'holder-a', 50), true)
    await elapse(120)
    t.equal(await store.setIfAbsent('token-lock', 'holder-b', LONG_TTL), true, 'b takes the expired lock')
    t.equal(await store.deleteIfEquals('token-lock', 'holder-a'), false, 'a releases late')
    t.equal(await store.get('token-lock'), 'holder-b', 'b still holds it')
  })

  t.test('renewIfEquals extends only a matching value and never creates a key', async (t) => {
    const { store } = await fresh(t)
    await store.set('lease', 'holder-a', LONG_TTL)
    t.equal(await store.renewIfEquals('lease', 'holder-b', LONG_TTL), false, 'someone else\'s token')
    t.equal(await store.renewIfEquals('lease', 'holder-', LONG_TTL), false, 'a prefix is not equal')
    t.equal(await store.renewIfEquals('lease', 'holder-a', LONG_TTL), true)
    t.equal(await store.get('lease'), 'holder-a', 'the value is unchanged')
    t.equal(await store.renewIfEquals('never-set', '', LONG_TTL), false, 'a missing key does not equal the empty string')
    t.equal(await store.get('never-set'), null, 'and is not created')
  })

  t.test('a renewed lease outlives its first TTL; left alone it expires', async (t) => {
    const { store, elapse } = await fresh(t)
    t.equal(await store.setIfAbsent('lease', 'holder-a', 150), true)
    await elapse(100)
    t.equal(await store.renewIfEquals('lease', 'holder-a', 150), true)
    await elapse(100)
    t.equal(await store.get('lease'), 'holder-a', 'alive past the first TTL: renewed')
    t.equal(await store.setIfAbsent('lease', 'holder-b', LONG_TTL), false, 'nobody else can take it')
    await elapse(200)
    t.equal(await store.get('lease'), null, 'gone once the holder stops renewing')
  })

  t.test('an expired lease holder cannot renew the next holder\'s lease or revive its own', async (t) => {
    const { store, elapse } = await fresh(t)
    t.equal(await store.setIfAbsent('lease', 'holder-a', 50), true)
    await elapse(120)
    t.equal(await store.renewIfEquals('lease', 'holder-a', LONG_TTL), false, 'a renews too late')
    t.equal(await store.get('lease'), null, 'nothing revived')
    t.equal(await store.setIfAbsent('lease', 'holder-b', 50), true, 'b takes the expired lease')
    t.equal(await store.renewIfEquals('lease', 'holder-a', LONG_TTL), false)
    await elapse(120)
    t.equal(await store.get('lease'), null, 'b\'s short TTL was not extended by a')
  })

  t.test('guardedSetIfAbsent: the guard keeps its first value; the key is set only when absent', async (t) => {
    const { store } = await fresh(t)
    const guard = { key: 'sig:s1', value: 'body-a', ttlMs: LONG_TTL }
    t.same(await store.guardedSetIfAbsent(guard, 'push:1', 'pending:a', LONG_TTL), { outcome: 'set' })
    t.equal(await store.get('sig:s1'), 'body-a', 'the guard was written')
    t.equal(await store.get('push:1'), 'pending:a', 'and the key')
    t.same(await store.guardedSetIfAbsent(guard, 'push:1', 'pending:b', LONG_TTL), { outcome: 'present', value: 'pending:a' }, 'the same guard again: the key\'s value')
    t.same(await store.guardedSetIfAbsent({ ...guard, value: 'body-b' }, 'push:2', 'pending:c', LONG_TTL), { outcome: 'guard-differs' })
    t.equal(await store.get('push:2'), null, 'another value in the guard writes nothing')
    t.equal(await store.get('sig:s1'), 'body-a', 'nor changes the guard')
    await store.set('push:3', 'done:answer', LONG_TTL)
    t.same(await store.guardedSetIfAbsent({ ...guard, key: 'sig:s2' }, 'push:3', 'pending:d', LONG_TTL), { outcome: 'present', value: 'done:answer' }, 'a new guard over a present key')
    t.equal(await store.get('sig:s2'), 'body-a', 'the new guard is written all the same')
  })

  t.test('guardedSetIfAbsent: both TTLs apply; an expired guard takes a new value', async (t) => {
    const { store, elapse } = await fresh(t)
    t.same(await store.guardedSetIfAbsent({ key: 'sig:s', value: 'a', ttlMs: 50 }, 'push:k', 'pending', 200), { outcome: 'set' })
    await elapse(120)
    t.equal(await store.get('push:k'), 'pending', 'the key has its own, longer TTL')
    t.same(await store.guardedSetIfAbsent({ key: 'sig:s', value: 'b', ttlMs: LONG_TTL }, 'push:other', 'pending', 50), { outcome: 'set' }, 'the expired guard took the new value')
    await elapse(120)
    t.equal(await store.get('push:other'), null, 'the key expired after its TTL')
    t.equal(await store.get('push:k'), null)
    t.equal(await store.get('sig:s'), 'b')
  })

  t.test('10 concurrent guardedSetIfAbsent calls with different guard values: one sets, the rest are refused', async (t) => {
    const { store } = await fresh(t)
    const results = await Promise.all(Array.from({ length: 10 }, async (_, i) =>
      await store.guardedSetIfAbsent({ key: 'sig:race', value: `body-${i}`, ttlMs: LONG_TTL }, 'push:race', `pending:${i}`, LONG_TTL)))
    const winners = results.flatMap((result, i) => result.outcome === 'set' ? [i] : [])
    t.equal(winners.length, 1, 'exactly one set')
    t.ok(results.every((result, i) => winners.includes(i) || result.outcome === 'guard-differs'), 'every other call found another body in the guard')
    t.equal(await store.get('push:race'), `pending:${winners[0]}`)
    t.equal(await store.get('sig:race'), `body-${winners[0]}`)
  })

  t.test('Unicode, control characters and large values round-trip exactly', async (t) => {
    const { store } = await fresh(t)
    const values = [
      '微信公众号 — 你好，世界',
      'emoji 😀👍🏽 and combining é (e\u0301)',
      'nul\u0000tab\tcr\rlf\n<xml>&amp;</xml>',
      '{"openid":"oABC-123_x","nickname":"张三"}',
      'x'.repeat(64 * 1024)
    ]
    for (const [i, value] of values.entries()) {
      await store.set(`v${i}`, value, LONG_TTL)
      t.equal(await store.get(`v${i}`), value, `value ${i}`)
    }
    await store.set('键:用户 😀', 'unicode key', LONG_TTL)
    t.equal(await store.get('键:用户 😀'), 'unicode key')
    t.equal(await store.getAndDelete('键:用户 😀'), 'unicode key')
  })

  t.test('MsgId-like keys beyond 2^53 stay distinct (docs/security.md B 20)', async (t) => {
    const { store } = await fresh(t)
    const ids = ['9007199254740992', '9007199254740993', '6054768590064713728', '6054768590064714000']
    for (const id of ids) t.equal(await store.setIfAbsent(`dedup:${id}`, `msg-${id}`, LONG_TTL), true, `claim ${id}`)
    for (const id of ids) t.equal(await store.get(`dedup:${id}`), `msg-${id}`, `read ${id}`)
  })

  t.test('close resolves', async (t) => {
    const { store } = await makeStore()
    await store.set('k', 'v', LONG_TTL)
    await t.resolves(store.close())
  })
}
