import { setTimeout as sleep } from 'node:timers/promises'
import { test, type Test } from 'tap'
import { answerOnce, pushIdentity, type ExactlyOnceOptions } from '../../../src/inbound/exactly-once.js'
import { createFallbackStore } from '../../../src/store/fallback-store.js'
import { createMemoryStore } from '../../../src/store/memory-store.js'
import { createRedisStore } from '../../../src/store/redis-store.js'
import type { Store } from '../../../src/store/store.js'
import { PUSHES, textPush } from '../../fixtures/pushes.js'
import { dyingView } from '../../helpers/dying-store.js'
import { eventPush, inboundPush } from '../../helpers/inbound.js'
import { deleteKeysWithPrefix, redisUrlOrSkip, uniqueKeyPrefix } from '../../helpers/redis.js'

const FAN_A = 'oFanAAAAAAAAAAAAAAAAAAAAAAA'
const FAN_B = 'oFanBBBBBBBBBBBBBBBBBBBBBBB'

const id = (xml: string) => pushIdentity(inboundPush(xml))

test('pushIdentity: a message is identified by fan + MsgId (the account by its store namespace)', async (t) => {
  const identity = id(textPush({ from: FAN_A, msgId: '6054768590064713728' }))
  t.equal(identity, `${FAN_A}:m:6054768590064713728`, 'the exact decimal string, never a rounded number (B 20)')
  t.equal(id(textPush({ from: FAN_A, msgId: '6054768590064713728', content: 'other', createTime: '1999999999' })), identity,
    'content and CreateTime do not matter: a retry is the same push')
  t.equal(id(PUSHES.image), id(PUSHES.text), 'the MsgId, not the type, identifies a message')
})

test('pushIdentity: 64-bit MsgIds beyond 2^53 stay distinct (B 20)', async (t) => {
  const a = id(textPush({ msgId: '9007199254740992' }))
  const b = id(textPush({ msgId: '9007199254740993' }))
  t.not(a, b)
  t.match(b, /:m:9007199254740993$/)
  t.match(id(textPush({ msgId: '6054768590064714000' })), /:m:6054768590064714000$/)
  t.match(id(textPush({ msgId: '1234567890123456' })), /:m:1234567890123456$/)
})

test('pushIdentity: users A and B with the same MsgId are two pushes (B 17)', async (t) => {
  t.not(id(textPush({ from: FAN_A, msgId: '1234567890123456' })), id(textPush({ from: FAN_B, msgId: '1234567890123456' })))
})

test('pushIdentity: events are identified by fan + CreateTime + Event + EventKey (B 18)', async (t) => {
  const click = id(eventPush({ event: 'CLICK', from: FAN_A, createTime: '1700000000', eventKey: 'MENU_1' }))
  t.equal(click, `${FAN_A}:e:1700000000:CLICK:MENU_1`)
  t.equal(id(eventPush({ event: 'CLICK', from: FAN_A, createTime: '1700000000', eventKey: 'MENU_1' })), click, 'the same event twice is one push')
  t.not(id(eventPush({ event: 'CLICK', from: FAN_A, createTime: '1700000000', eventKey: 'MENU_2' })), click, 'another menu key in the same second')
  t.not(id(eventPush({ event: 'CLICK', from: FAN_A, createTime: '1700000001', eventKey: 'MENU_1' })), click, 'the next second')
  t.not(id(eventPush({ event: 'CLICK', from: FAN_B, createTime: '1700000000', eventKey: 'MENU_1' })), click, 'another fan')

  const location = id(eventPush({
    event: 'LOCATION', from: FAN_A, createTime: '1700000000',
    extra: '<Latitude>23.137466</Latitude><Longitude>113.352425</Longitude><Precision>119.385040</Precision>'
  }))
  t.equal(location, `${FAN_A}:e:1700000000:LOCATION:`)
  t.not(location, click, 'LOCATION and CLICK in the same second are two pushes')

  const unsubscribe = id(eventPush({ event: 'unsubscribe', from: FAN_A, createTime: '1700000000' }))
  const subscribe = id(eventPush({ event: 'subscribe', from: FAN_A, createTime: '1700000000' }))
  t.not(unsubscribe, subscribe, 'unsubscribe then subscribe in the same second are two pushes')
  t.not(id(eventPush({ event: 'subscribe', from: FAN_A, createTime: '1700000000', eventKey: 'qrscene_1' })), subscribe,
    'a QR-scene subscribe differs from a plain one')
})

test('pushIdentity: a push of an unmodelled type without MsgId or Event falls back to its MsgType', async (t) => {
  const xml = `<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><FromUserName><![CDATA[${FAN_A}]]></FromUserName>` +
    '<CreateTime>1700000000</CreateTime><MsgType><![CDATA[futuretype]]></MsgType></xml>'
  t.equal(id(xml), `${FAN_A}:e:1700000000:futuretype:`)
  t.equal(inboundPush(PUSHES.unknownEvent).kind, 'other')
  t.equal(id(PUSHES.unknownEvent), `oFan00000000000000000000001:e:1348831860:view_miniprogram:pages/index`)
})

interface Subject {
  store: Store
}

const OPTIONS = { replyTtlMs: 60_000, claimTtlMs: 30_000, waitMs: 3000, pollMs: 10 }

/** A compute that counts its runs, answers after `ms`, and can be told to throw. */
function counter (answer: string, ms = 0) {
  const state = { runs: 0, failNext: false }
  const compute = async (): Promise<string> => {
    state.runs++
    await sleep(ms)
    if (state.failNext) {
      state.failNext = false
      throw new Error('handler exploded')
    }
    return answer
  }
  return { state, compute }
}

function answerOnceSuite (t: Test, makeSubject: (t: Test) => Promise<Subject | undefined>): void {
  const options = (store: Store, overrides: Partial<ExactlyOnceOptions> = {}): ExactlyOnceOptions => ({ store, ...OPTIONS, ...overrides })

  t.test('the first delivery is answered, later ones are duplicates with the same answer', async (t) => {
    const subject = await makeSubject(t)
    if (subject === undefined) return
    const { state, compute } = counter('<xml>A</xml>')
    t.same(await answerOnce('p1', compute, options(subject.store)), { status: 'answered', answer: '<xml>A</xml>' })
    t.same(await answerOnce('p1', compute, options(subject.store)), { status: 'duplicate', answer: '<xml>A</xml>' })
    t.same(await answerOnce('p1', compute, options(subject.store)), { status: 'duplicate', answer: '<xml>A</xml>' })
    t.equal(state.runs, 1)
    t.same(await answerOnce('p2', compute, options(subject.store)), { status: 'answered', answer: '<xml>A</xml>' }, 'another identity runs')
    t.equal(state.runs, 2)
    t.equal(await subject.store.get('push:p1'), 'done:<xml>A</xml>', 'the answer is kept under push:<identity>')
  })

  t.test('with a guard: checked with the claim; another value runs and claims nothing, a retry is answered from the claim\'s own read', async (t) => {
    const subject = await makeSubject(t)
    if (subject === undefined) return
    let reads = 0
    const store: Store = { ...subject.store, get: async (key) => { reads++; return await subject.store.get(key) } }
    const { state, compute } = counter('<xml>G</xml>')
    const guard = { key: 'sig:s', value: 'body-a', ttlMs: 60_000 }
    t.same(await answerOnce('g1', compute, options(store, { guard })), { status: 'answered', answer: '<xml>G</xml>' })
    t.equal(await subject.store.get('sig:s'), 'body-a', 'the guard was written with the claim')
    t.same(await answerOnce('g1', compute, options(store, { guard })), { status: 'duplicate', answer: '<xml>G</xml>' })
    t.equal(reads, 0, 'the retry needed no read of its own')
    t.same(await answerOnce('g2', compute, options(store, { guard: { ...guard, value: 'body-b' } })), { status: 'guard-differs' })
    t.equal(await subject.store.get('push:g2'), null, 'nothing claimed')
    t.equal(state.runs, 1, 'and nothing run')
  })

  t.test('concurrent deliveries wait for the first and get its answer', async (t) => {
    const subject = await makeSubject(t)
    if (subject === undefined) return
    const { state, compute } = counter('<xml>slow</xml>', 200)
    const outcomes = await Promise.all([1, 2, 3, 4].map(() => answerOnce('c1', compute, options(subject.store))))
    t.equal(state.runs, 1, 'one execution')
    t.equal(outcomes.filter((o) => o.status === 'answered').length, 1)
    t.equal(outcomes.filter((o) => o.status === 'duplicate').length, 3)
    for (const o of outcomes) t.same(o, { status: o.status, answer: '<xml>slow</xml>' })
  })

  t.test('a compute that throws releases the claim and the next delivery computes (B 19)', async (t) => {
    const subject = await makeSubject(t)
    if (subject === undefined) return
    const { state, compute } = counter('<xml>ok</xml>')
    state.failNext = true
    await t.rejects(answerOnce('f1', compute, options(subject.store)), { message: 'handler exploded' }, 'the error reaches the caller')
    t.equal(await subject.store.get('push:f1'), null, 'the claim is released')
    t.same(await answerOnce('f1', compute, options(subject.store)), { status: 'answered', answer: '<xml>ok</xml>' })
    t.same(await answerOnce('f1', compute, options(subject.store)), { status: 'duplicate', answer: '<xml>ok</xml>' })
    t.equal(state.runs, 2, 'one failed run, one successful run, no third')
  })

  t.test('a delivery waiting on a first one that fails takes the claim over', async (t) => {
    const subject = await makeSubject(t)
    if (subject === undefined) return
    const { state, compute } = counter('<xml>second try</xml>', 150)
    state.failNext = true
    const first = answerOnce('f2', compute, options(subject.store))
    first.catch(() => {})
    await sleep(30)
    const second = await answerOnce('f2', compute, options(subject.store))
    await t.rejects(first, { message: 'handler exploded' })
    t.same(second, { status: 'answered', answer: '<xml>second try</xml>' })
    t.equal(state.runs, 2)
  })

  t.test('a compute slower than waitMs leaves the waiter busy; once done, retries are duplicates', async (t) => {
    const subject = await makeSubject(t)
    if (subject === undefined) return
    const { state, compute } = counter('<xml>late</xml>', 500)
    const first = answerOnce('b1', compute, options(subject.store, { waitMs: 150 }))
    await sleep(20)
    const started = Date.now()
    t.same(await answerOnce('b1', compute, options(subject.store, { waitMs: 150 })), { status: 'busy' })
    t.ok(Date.now() - started < 500, 'the waiter gives up at its deadline, before the first delivery finishes')
    t.same(await first, { status: 'answered', answer: '<xml>late</xml>' })
    t.same(await answerOnce('b1', compute, options(subject.store, { waitMs: 150 })), { status: 'duplicate', answer: '<xml>late</xml>' })
    t.equal(state.runs, 1)
  })

  t.test('a stale claim whose holder died expires after claimTtlMs and the push is computed', async (t) => {
    const subject = await makeSubject(t)
    if (subject === undefined) return
    t.ok(await subject.store.setIfAbsent('push:d1', 'pending:dead-holder', 100), 'a holder claimed and died')
    const { state, compute } = counter('<xml>revived</xml>')
    t.same(await answerOnce('d1', compute, options(subject.store, { waitMs: 1000 })), { status: 'answered', answer: '<xml>revived</xml>' })
    t.equal(state.runs, 1)
  })

  t.test('the claim is a lease renewed while compute runs: a compute longer than claimTtlMs keeps it', async (t) => {
    const subject = await makeSubject(t)
    if (subject === undefined) return
    const { state, compute } = counter('<xml>long</xml>', 450)
    const first = answerOnce('l1', compute, options(subject.store, { claimTtlMs: 150 }))
    await sleep(50)
    const claim = await subject.store.get('push:l1')
    t.match(claim, /^pending:[0-9a-f-]{36}$/, 'the claim names its holder')
    await sleep(250)
    t.equal(await subject.store.get('push:l1'), claim, 'still held at twice its TTL: renewed')
    t.same(await answerOnce('l1', compute, options(subject.store, { waitMs: 0 })), { status: 'busy' }, 'a retry meanwhile does not take it over')
    t.same(await first, { status: 'answered', answer: '<xml>long</xml>' })
    t.same(await answerOnce('l1', compute, options(subject.store, { waitMs: 0 })), { status: 'duplicate', answer: '<xml>long</xml>' })
    t.equal(state.runs, 1)
    await sleep(250)
    t.equal(await subject.store.get('push:l1'), 'done:<xml>long</xml>', 'no renewal after the answer touches it')
  })

  t.test('a holder that dies mid-compute: a waiting delivery takes over once its lease lapses', async (t) => {
    const subject = await makeSubject(t)
    if (subject === undefined) return
    const a = dyingView(subject.store)
    let finishA: (answer: string) => void = () => {}
    const onA = answerOnce('k1', async () => await new Promise<string>((resolve) => { finishA = resolve }), options(a.store, { claimTtlMs: 150 }))
    onA.catch(() => {})
    await sleep(200)
    t.match(await subject.store.get('push:k1'), /^pending:/, 'A holds the claim past its first TTL')
    a.kill()
    const killed = Date.now()
    const { state, compute } = counter('<xml>from B</xml>')
    t.same(await answerOnce('k1', compute, options(subject.store, { waitMs: 1000 })), { status: 'answered', answer: '<xml>from B</xml>' },
      'the retry on B is answered, not busy')
    const tookOver = Date.now() - killed
    t.ok(tookOver < 400, `B took over ${tookOver} ms after A died (lease 150 ms)`)
    t.equal(state.runs, 1)
    finishA('<xml>from A</xml>')
    await t.rejects(onA, { message: 'this instance is dead' }, 'a dead instance records nothing')
    t.equal(await subject.store.get('push:k1'), 'done:<xml>from B</xml>')
  })

  t.test('renewClaim false (a store that dies with its holder): no renewal, the claim lives claimTtlMs', async (t) => {
    const subject = await makeSubject(t)
    if (subject === undefined) return
    let renewals = 0
    const counted: Store = { ...subject.store, renewIfEquals: async (key, value, ttlMs) => { renewals++; return await subject.store.renewIfEquals(key, value, ttlMs) } }
    const { state, compute } = counter('<xml>held</xml>', 300)
    const first = answerOnce('n1', compute, options(counted, { claimTtlMs: 90, renewClaim: false }))
    await sleep(40)
    t.match(await subject.store.get('push:n1'), /^pending:/, 'claimed')
    await sleep(110)
    t.equal(await subject.store.get('push:n1'), null, 'past its TTL while compute still runs: not renewed')
    t.same(await first, { status: 'answered', answer: '<xml>held</xml>' })
    t.equal(renewals, 0)
    t.equal(state.runs, 1)
    const renewing = answerOnce('n2', async () => { await sleep(150); return 'r' }, options(counted, { claimTtlMs: 90 }))
    t.same(await renewing, { status: 'answered', answer: 'r' })
    t.ok(renewals >= 1, 'by default the claim is renewed')
  })

  t.test('a slow store never piles renewals up, and none follows the answer', async (t) => {
    const subject = await makeSubject(t)
    if (subject === undefined) return
    let renewals = 0
    const slow: Store = {
      ...subject.store,
      renewIfEquals: async (key, value, ttlMs) => {
        renewals++
        await sleep(200)
        return await subject.store.renewIfEquals(key, value, ttlMs)
      }
    }
    t.same(await answerOnce('s1', async () => { await sleep(100); return 'x' }, options(slow, { claimTtlMs: 60 })), { status: 'answered', answer: 'x' })
    await sleep(300)
    t.equal(renewals, 1, 'the second waits for the first, which ended after the answer')
    t.equal(await subject.store.get('push:s1'), 'done:x')
  })
}

test('answerOnce over the memory store', async (t) => {
  answerOnceSuite(t, async () => ({ store: createMemoryStore() }))
})

test('answerOnce over Redis', async (t) => {
  const url = await redisUrlOrSkip(t)
  if (url === undefined) return
  const prefixes: string[] = []
  t.teardown(async () => {
    for (const p of prefixes) await deleteKeysWithPrefix(url, p)
  })
  answerOnceSuite(t, async (tt) => {
    const keyPrefix = uniqueKeyPrefix('exactly-once')
    prefixes.push(keyPrefix)
    const store = createRedisStore({ url, keyPrefix })
    tt.teardown(() => store.close())
    const deadline = Date.now() + 3000
    while (!await store.ping()) {
      if (Date.now() > deadline) throw new Error('Redis store never became ready')
      await sleep(20)
    }
    return { store }
  })
})

test('answerOnce: a failed release does not hide the compute error', async (t) => {
  const memory = createMemoryStore()
  const store: Store = { ...memory, deleteIfEquals: async () => { throw new Error('store down') } }
  await t.rejects(answerOnce('r1', async () => { throw new Error('handler exploded') }, { store, ...OPTIONS }), { message: 'handler exploded' })
  t.match(await memory.get('push:r1'), /^pending:/, 'the claim stays until its lease lapses: a retry within it is told busy')
  t.same(await answerOnce('r1', async () => 'x', { store, ...OPTIONS, waitMs: 50 }), { status: 'busy' })
})

test('answerOnce: a holder whose lease lapsed neither releases nor blocks the delivery that took over', async (t) => {
  let now = 1_700_000_000_000
  const store = createMemoryStore({ now: () => now })
  let failA: (error: Error) => void = () => {}
  const onA = answerOnce('x1', async () => await new Promise<string>((_resolve, reject) => { failA = reject }), { store, ...OPTIONS, claimTtlMs: 3000 })
  await sleep(10)
  // A froze past its lease (the clock jumps before its first renewal is due).
  now += 5000
  let finishB: (answer: string) => void = () => {}
  const onB = answerOnce('x1', async () => await new Promise<string>((resolve) => { finishB = resolve }), { store, ...OPTIONS, claimTtlMs: 3000 })
  await sleep(10)
  const claimOfB = await store.get('push:x1')
  t.match(claimOfB, /^pending:/, 'B took the lapsed claim')
  failA(new Error('A failed late'))
  await t.rejects(onA, { message: 'A failed late' })
  t.equal(await store.get('push:x1'), claimOfB, 'A\'s release left B\'s claim alone')
  finishB('<xml>B</xml>')
  t.same(await onB, { status: 'answered', answer: '<xml>B</xml>' })
})

test('answerOnce: renewals that fail (Redis down, falling back to memory) neither crash nor hang the push', async (t) => {
  const primary = createRedisStore({ url: 'redis://127.0.0.1:1', keyPrefix: 'wemp-test:lease-fallback:' })
  t.teardown(() => primary.close())
  const fallbacks: string[] = []
  const store = createFallbackStore({ primary, fallback: createMemoryStore(), onFallback: (operation) => { fallbacks.push(operation) } })
  const started = Date.now()
  t.same(await answerOnce('f1', async () => { await sleep(300); return 'y' }, { store, ...OPTIONS, claimTtlMs: 90 }), { status: 'answered', answer: 'y' })
  t.ok(Date.now() - started < 1000, 'answered when the handler was done')
  t.ok(fallbacks.filter((op) => op === 'renewIfEquals').length >= 2, 'the lease was renewed, in memory')
  t.same(await answerOnce('f1', async () => 'z', { store, ...OPTIONS }), { status: 'duplicate', answer: 'y' })

  const broken: Store = { ...createMemoryStore(), renewIfEquals: async () => { throw new Error('down') } }
  t.same(await answerOnce('f2', async () => { await sleep(200); return 'w' }, { store: broken, ...OPTIONS, claimTtlMs: 60 }), { status: 'answered', answer: 'w' },
    'a store whose renewals reject')
})
