import { test } from 'tap'
import { effectiveLateMode, RETRY_WINDOW_KEY, RETRY_WINDOW_TTL_MS, switchToRetryWindow } from '../../../src/inbound/late-reply-mode.js'
import { createMemoryStore } from '../../../src/store/memory-store.js'
import { prefixedStore } from '../../../src/store/prefixed-store.js'
import type { Store } from '../../../src/store/store.js'
import { recordingLogger } from '../../helpers/bot-context.js'

const brokenStore = (): Store => {
  const fail = async (): Promise<never> => { throw Object.assign(new Error('ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }) }
  return { get: fail, set: fail, setIfAbsent: fail, getAndDelete: fail, delete: fail, deleteIfEquals: fail, renewIfEquals: fail, guardedSetIfAbsent: fail, close: async () => {} }
}

test('customer-service and retry-window are what they say; auto and absent start as customer-service', async (t) => {
  const store = createMemoryStore()
  const log = recordingLogger()
  t.equal(await effectiveLateMode('customer-service', store, log), 'customer-service')
  t.equal(await effectiveLateMode('retry-window', store, log), 'retry-window')
  t.equal(await effectiveLateMode('auto', store, log), 'customer-service')
  t.equal(await effectiveLateMode(undefined, createMemoryStore(), log), 'customer-service')
  t.same(log.calls, [])
})

test('a 48001 switches auto for this instance at once and, through the store, for the others', async (t) => {
  let now = 1_000_000
  const shared = createMemoryStore({ now: () => now })
  // Two instances: each has its own view of the account's keys in the shared store.
  const here = prefixedStore(shared, 'wxapp:')
  const there = prefixedStore(shared, 'wxapp:')
  const elsewhere = prefixedStore(shared, 'wxother:')
  const log = recordingLogger()
  t.equal(await effectiveLateMode('auto', there, log, 0), 'customer-service')
  await switchToRetryWindow(here, log)
  t.equal(await effectiveLateMode('auto', here, log), 'retry-window')
  t.equal(await effectiveLateMode('auto', there, log), 'retry-window', 'another instance reads it from the store')
  t.equal(await effectiveLateMode('customer-service', here, log), 'customer-service', 'an explicit mode is never switched')
  t.equal(await effectiveLateMode('auto', elsewhere, log), 'customer-service', 'another account is not switched')
  t.ok(await shared.get(`wxapp:${RETRY_WINDOW_KEY}`))
  now += RETRY_WINDOW_TTL_MS
  t.equal(await effectiveLateMode('auto', prefixedStore(shared, 'wxapp:'), log), 'customer-service', 'after a week customer-service is tried again')
})

test('each instance reads the switch once per cache period', async (t) => {
  const shared = createMemoryStore()
  const reader = prefixedStore(shared, 'wxapp:')
  const log = recordingLogger()
  t.equal(await effectiveLateMode('auto', reader, log), 'customer-service')
  await shared.set(`wxapp:${RETRY_WINDOW_KEY}`, 'x', 60_000)
  t.equal(await effectiveLateMode('auto', reader, log), 'customer-service', 'a stale answer within the period costs one more 48001 at most')
  t.equal(await effectiveLateMode('auto', reader, log, 0), 'customer-service', 'the cached answer, still')
  const fresh = prefixedStore(shared, 'wxapp:')
  t.equal(await effectiveLateMode('auto', fresh, log, 0), 'retry-window')
  await shared.delete(`wxapp:${RETRY_WINDOW_KEY}`)
  t.equal(await effectiveLateMode('auto', fresh, log, 0), 'customer-service', 'a period of 0 reads again')
})

test('a failing store: customer-service is tried, the failure logged by kind only', async (t) => {
  const log = recordingLogger()
  const store = brokenStore()
  t.equal(await effectiveLateMode('auto', store, log), 'customer-service')
  await switchToRetryWindow(store, log)
  t.equal(await effectiveLateMode('auto', store, log), 'retry-window', 'this instance still knows')
  t.same(log.calls.map((c) => [c.level, c.obj]), [['warn', { operation: 'read', errorType: 'Error' }], ['warn', { operation: 'write', errorType: 'Error' }]])
})
