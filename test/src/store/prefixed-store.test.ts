import { test } from 'tap'
import { createMemoryStore } from '../../../src/store/memory-store.js'
import { prefixedStore } from '../../../src/store/prefixed-store.js'
import { storeContract } from './store-contract.js'

test('a prefixed view honours the Store contract', async (t) => {
  storeContract(t, async () => {
    let now = 1_700_000_000_000
    const shared = createMemoryStore({ now: () => now })
    return { store: prefixedStore(shared, 'wxa:'), elapse: async (ms) => { now += ms } }
  })
})

test('two accounts\' views of one store never see each other\'s keys; closing a view keeps the store', async (t) => {
  const shared = createMemoryStore()
  const a = prefixedStore(shared, 'wxa:')
  const b = prefixedStore(shared, 'wxb:')
  await a.set('push:fan:m:1', 'done:a', 60_000)
  t.equal(await b.get('push:fan:m:1'), null)
  t.equal(await b.setIfAbsent('push:fan:m:1', 'pending', 60_000), true, 'b claims the same id for itself')
  t.equal(await shared.get('wxa:push:fan:m:1'), 'done:a', 'under the prefix in the shared store')
  t.equal(await shared.get('wxb:push:fan:m:1'), 'pending')
  t.equal(await a.deleteIfEquals('push:fan:m:1', 'pending'), false, 'b\'s value is not a\'s')
  t.equal(await a.renewIfEquals('push:fan:m:1', 'pending', 60_000), false, 'nor b\'s lease')
  t.equal(await b.renewIfEquals('push:fan:m:1', 'pending', 60_000), true)
  t.same(await a.guardedSetIfAbsent({ key: 'sig:s', value: 'body', ttlMs: 60_000 }, 'push:fan:m:2', 'pending', 60_000), { outcome: 'set' })
  t.equal(await shared.get('wxa:sig:s'), 'body', 'the guard under the prefix too')
  t.equal(await shared.get('wxa:push:fan:m:2'), 'pending')
  t.same(await b.guardedSetIfAbsent({ key: 'sig:s', value: 'other', ttlMs: 60_000 }, 'push:fan:m:2', 'pending', 60_000), { outcome: 'set' }, 'a\'s guard is not b\'s')
  t.equal(await b.getAndDelete('push:fan:m:1'), 'pending')
  await a.delete('push:fan:m:1')
  await a.close()
  t.equal(await shared.get('wxa:push:fan:m:1'), null)
  await shared.set('k', 'v', 60_000)
  t.equal(await shared.get('k'), 'v', 'the shared store is still open')
})
