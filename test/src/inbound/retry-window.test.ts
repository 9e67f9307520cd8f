// The retry window against a real store, WeChat played at a tenth of its speed: a delivery is
// abandoned after T ms (WeChat's 5 s) and the next one starts; the last one must answer within D
// ms (REPLY_DEADLINE_MS). Each delivery may go to another instance: another view of the store.
import { setTimeout as sleep } from 'node:timers/promises'
import { test } from 'tap'
import { fateKey, answerInRetryWindow, deliveryKey, isFirstDelivery, WECHAT_DELIVERIES, type RetryWindowOptions } from '../../../src/inbound/retry-window.js'
import type { OnceOutcome } from '../../../src/inbound/exactly-once.js'
import { createMemoryStore } from '../../../src/store/memory-store.js'
import { prefixedStore } from '../../../src/store/prefixed-store.js'
import type { Store } from '../../../src/store/store.js'
import { recordingLogger } from '../../helpers/bot-context.js'
import { dyingView } from '../../helpers/dying-store.js'

const T = 500
const D = 400
const IDENTITY = 'oFan:m:1'

interface Computation {
  runs: number
  held: number
  compute: () => Promise<string>
}

/** An answer that takes `ms`, or fails after it when `fail` says so for that run. */
function computation (ms: number, fail: (run: number) => boolean = () => false): Computation {
  const c: Computation = {
    runs: 0,
    held: 0,
    compute: async () => {
      const run = ++c.runs
      await sleep(ms)
      if (fail(run)) throw new Error(`run ${run} failed`)
      return `answer after ${ms} ms`
    }
  }
  return c
}

function options (store: Store, c: Computation, log = recordingLogger(), extra: Partial<RetryWindowOptions> = {}): RetryWindowOptions {
  return {
    identity: IDENTITY,
    compute: c.compute,
    once: { store, replyTtlMs: 60_000, claimTtlMs: 30_000 },
    deadlineMs: D,
    holdMs: 2 * D,
    holding: () => 'holding',
    heldOver: async () => { c.held++ },
    log,
    ...extra
  }
}

interface Played {
  /** 1-based; undefined when no delivery got an answer in time. */
  answeredBy?: number
  answer?: string
  /** Every delivery's own outcome, once it ended (also those WeChat had hung up on). */
  outcomes: Promise<OnceOutcome | Error>[]
}

/** WeChat: a delivery it gets no answer to within T is abandoned and the next one starts. */
async function wechat (deliver: (n: number) => Promise<OnceOutcome>, deliveries = WECHAT_DELIVERIES): Promise<Played> {
  const outcomes: Promise<OnceOutcome | Error>[] = []
  for (let n = 1; n <= deliveries; n++) {
    const outcome = deliver(n).catch((error: Error) => error)
    outcomes.push(outcome)
    const first = await Promise.race([outcome, sleep(T, 'hung up' as const)])
    if (first === 'hung up' || first instanceof Error || first.status === 'busy' || first.status === 'guard-differs') {
      if (first !== 'hung up') await sleep(T)
      continue
    }
    return { answeredBy: n, answer: first.answer, outcomes }
  }
  return { outcomes }
}

test('the delivery that finds the answer ready carries it; one computation', async (t) => {
  // Well inside each delivery's time: the machine may be busy.
  const cases: Array<[number, number]> = [[0.2 * T, 1], [1.4 * T, 2], [2.4 * T, 3]]
  await Promise.all(cases.map(async ([ms, expected]) => {
    const store = createMemoryStore()
    const c = computation(ms)
    const started = Date.now()
    const played = await wechat(async () => await answerInRetryWindow(options(store, c)))
    t.equal(played.answeredBy, expected, `${ms} ms: delivery ${expected}`)
    t.equal(played.answer, `answer after ${ms} ms`)
    t.ok(Date.now() - started < ms + 0.3 * T, `${ms} ms: answered as soon as ready`)
    t.equal(c.runs, 1)
    t.equal(c.held, 0)
    const ended = await Promise.all(played.outcomes)
    t.same(ended.slice(0, -1).map((o) => (o as OnceOutcome).status), Array(expected - 1).fill('busy'), 'the abandoned deliveries end when the next one comes')
  }))
})

test('too slow for every delivery: the last answers the holding text in time, the answer is held once', async (t) => {
  const store = createMemoryStore()
  const c = computation(4 * T)
  const log = recordingLogger()
  const started = Date.now()
  const played = await wechat(async () => await answerInRetryWindow(options(store, c, log)))
  t.equal(played.answeredBy, 3)
  t.equal(played.answer, 'holding')
  t.ok(Date.now() - started < 3 * T, 'within the last delivery\'s time')
  t.equal(c.held, 0, 'not yet')
  await sleep(4 * T + 0.3 * T - (Date.now() - started))
  t.equal(c.held, 1, 'held for the fan once it came')
  t.equal(c.runs, 1)
  // WeChat should stop here; a fourth delivery anyway gets the holding text again.
  t.same(await answerInRetryWindow(options(store, c, log)), { status: 'answered', answer: 'holding', late: true })
  t.equal(c.runs, 1)
  t.same(log.calls.filter((call) => call.level !== 'info'), [])
})

test('each delivery on another instance: the same, one computation', async (t) => {
  const shared = createMemoryStore()
  const c = computation(2.4 * T)
  const played = await wechat(async () => await answerInRetryWindow(options(prefixedStore(shared, 'wxapp:'), c)))
  t.equal(played.answeredBy, 3)
  t.equal(c.runs, 1)
})

test('the instance computing dies: the next delivery takes over once its lease lapses, one answer', async (t) => {
  const shared = createMemoryStore()
  const first = dyingView(shared)
  const c = computation(0.2 * T)
  let hung = 0
  const hangs = async (): Promise<string> => { hung++; return await new Promise<string>(() => {}) }
  const lease = { replyTtlMs: 60_000, claimTtlMs: 0.4 * T }
  setTimeout(first.kill, 0.2 * T)
  const played = await wechat(async (n) => n === 1
    ? await answerInRetryWindow(options(first.store, { ...c, compute: hangs }, recordingLogger(), { once: { store: first.store, ...lease } }))
    : await answerInRetryWindow(options(prefixedStore(shared, ''), c, recordingLogger(), { once: { store: prefixedStore(shared, ''), ...lease } })))
  t.equal(played.answeredBy, 2, 'not busy until the claim\'s 30 s would have passed')
  t.equal(played.answer, `answer after ${0.2 * T} ms`)
  t.equal(hung, 1)
  t.equal(c.runs, 1, 'computed once more, by the instance that took over')
  t.match(await played.outcomes[0], { message: 'this instance is dead' })
  t.equal(await shared.get(fateKey(IDENTITY)), 'ready')
})

test('a computation that fails while its delivery waits: that delivery fails, the next computes again', async (t) => {
  const store = createMemoryStore()
  const c = computation(0.1 * T, (run) => run === 1)
  const log = recordingLogger()
  const played = await wechat(async () => await answerInRetryWindow(options(store, c, log)))
  t.equal(played.answeredBy, 2)
  t.match(await played.outcomes[0], { message: 'run 1 failed' })
  t.equal(c.runs, 2)
  t.same(log.calls.filter((call) => call.level === 'error'), [], 'reported by the delivery, not logged here')
})

test('a computation that fails after its delivery ended is logged; the waiting delivery takes over', async (t) => {
  const store = createMemoryStore()
  const c = computation(1.2 * T, (run) => run === 1)
  const log = recordingLogger()
  const played = await wechat(async () => await answerInRetryWindow(options(store, c, log)))
  t.equal(played.answeredBy, 3, 'run 1 fails in delivery 2\'s time; run 2, started then, ends in delivery 3\'s')
  t.equal(c.runs, 2)
  t.match(log.calls.filter((call) => call.level === 'error'), [{ obj: { err: { message: 'run 1 failed' } }, msg: 'handler failed after its delivery ended' }])
})

test('a delivery with no delivery after it stops waiting after holdMs', async (t) => {
  const store = createMemoryStore()
  const c = computation(3 * D)
  const started = Date.now()
  t.same(await answerInRetryWindow(options(store, c)), { status: 'busy' })
  t.ok(Date.now() - started >= 2 * D)
  t.equal(await isFirstDelivery(store, IDENTITY), false)
  t.equal(await isFirstDelivery(store, 'oFan:m:2'), true)
})

test('the last delivery at its deadline finds the answer ready meanwhile', async (t) => {
  const store = createMemoryStore()
  const c = computation(20)
  const claimer = answerInRetryWindow(options(store, c, recordingLogger(), { deliveries: 2 }))
  await sleep(1)
  // The last delivery with no time: its first look finds the computation running, its deadline has passed at the second.
  t.same(await answerInRetryWindow(options(store, c, recordingLogger(), { deliveries: 2, deadlineMs: 0 })), { status: 'duplicate', answer: 'answer after 20 ms' })
  t.same(await claimer, { status: 'answered', answer: 'answer after 20 ms' })
  t.equal(await store.get(fateKey(IDENTITY)), 'ready')
  t.equal(c.held, 0)
})

test('a `ready` fate whose answer cannot be read in time: the holding text, and the answer is held', async (t) => {
  const store = createMemoryStore()
  const c = computation(T)
  const claimer = answerInRetryWindow(options(store, c, recordingLogger(), { deliveries: 2 }))
  await sleep(1)
  await store.set(fateKey(IDENTITY), 'ready', 60_000)
  t.same(await answerInRetryWindow(options(store, c, recordingLogger(), { deliveries: 2, deadlineMs: 0 })), { status: 'answered', answer: 'holding', late: true })
  t.same(await claimer, { status: 'busy' }, 'the claimer\'s delivery ended when the next came')
  await sleep(T + 100)
  t.equal(c.held, 1)
})

test('deliveries are counted in the store; those past the third are all the last', async (t) => {
  const store = createMemoryStore()
  const c = computation(10)
  for (let n = 1; n <= 4; n++) t.same(await answerInRetryWindow(options(store, c)), { status: n === 1 ? 'answered' : 'duplicate', answer: 'answer after 10 ms' })
  for (let n = 1; n <= 3; n++) t.ok(await store.get(deliveryKey(IDENTITY, n)), `delivery ${n} counted`)
  t.equal(await store.get(deliveryKey(IDENTITY, 4)), null)
  t.equal(c.runs, 1)
})

test('with a guard: checked with the first delivery\'s record; another body counts no delivery and runs nothing', async (t) => {
  const store = createMemoryStore()
  const c = computation(10)
  const guarded = (value: string): RetryWindowOptions => {
    const base = options(store, c)
    return { ...base, once: { ...base.once, guard: { key: 'sig:s', value, ttlMs: 60_000 } } }
  }
  t.same(await answerInRetryWindow(guarded('body-b')), { status: 'answered', answer: 'answer after 10 ms' }, 'the first body is answered')
  t.same(await answerInRetryWindow(guarded('body-b')), { status: 'duplicate', answer: 'answer after 10 ms' }, 'its retry too')
  t.equal(await store.get(deliveryKey(IDENTITY, 2)), '1', 'the retry was counted as the second delivery')
  t.same(await answerInRetryWindow(guarded('body-x')), { status: 'guard-differs' })
  t.equal(await store.get(deliveryKey(IDENTITY, 3)), null, 'the swap counted no delivery')
  t.equal(c.runs, 1)
})

test('a store that cannot record the fate: the answer already went out, a warning says so', async (t) => {
  const inner = createMemoryStore()
  const store: Store = {
    ...inner,
    setIfAbsent: async (key, value, ttl) => {
      if (key.startsWith('fate:')) throw Object.assign(new Error(`down: ${key}`), { code: 'ECONNRESET' })
      return await inner.setIfAbsent(key, value, ttl)
    }
  }
  const log = recordingLogger()
  t.same(await answerInRetryWindow(options(store, computation(10), log)), { status: 'answered', answer: 'answer after 10 ms' })
  await sleep(10)
  t.same(log.calls.map((call) => [call.level, call.obj]), [['warn', { errorType: 'Error' }]])
})
