import { test } from 'tap'
import { createHeldAnswers, heldAnswersKey, HOLDING_TEXT, MORE_HELD_NOTICE, withHeld } from '../../../src/inbound/held-answers.js'
import { PASSIVE_TEXT_MAX_BYTES, utf8Bytes } from '../../../src/llm/split-text.js'
import { createMemoryStore } from '../../../src/store/memory-store.js'
import type { Store } from '../../../src/store/store.js'
import { recordingLogger } from '../../helpers/bot-context.js'

const FAN = 'oSandboxFan00000000000000001'
const OTHER = 'oSandboxFan00000000000000002'

test('held per fan, in order, taken once, for a day', async (t) => {
  let now = 0
  const store = createMemoryStore({ now: () => now })
  const log = recordingLogger()
  const mine = createHeldAnswers({ store, openid: FAN, log })
  const theirs = createHeldAnswers({ store, openid: OTHER, log })
  t.equal(await mine.waiting(), false)
  await mine.add(['第一个回答'])
  await mine.add(['第二个回答', ''])
  await mine.add([])
  t.equal(await mine.waiting(), true)
  t.equal(await theirs.waiting(), false, 'another fan has nothing held')
  t.same(await theirs.take(), [])
  t.same(JSON.parse(await store.get(heldAnswersKey(FAN)) ?? 'null'), ['第一个回答', '第二个回答'])
  const [first, second] = await Promise.all([mine.take(), mine.take()])
  t.same([first, second].sort(), [[], ['第一个回答', '第二个回答']].sort(), 'two pushes at once: one gets them')
  await mine.add(['明天再看'])
  now += 24 * 3600 * 1000
  t.same(await mine.take(), [], 'gone after a day')
  t.same(log.calls, [])
})

test('a text too long for one reply is held in parts that fit with the notice', async (t) => {
  const store = createMemoryStore()
  const held = createHeldAnswers({ store, openid: FAN, log: recordingLogger() })
  await held.add(['很'.repeat(1500)])
  const parts = await held.take()
  t.equal(parts.length, 3)
  t.equal(parts.join(''), '很'.repeat(1500))
  for (const part of parts) t.ok(utf8Bytes(part) + utf8Bytes(MORE_HELD_NOTICE) <= PASSIVE_TEXT_MAX_BYTES)
})

test('something else under the key is nothing held', async (t) => {
  const store = createMemoryStore()
  const held = createHeldAnswers({ store, openid: FAN, log: recordingLogger() })
  for (const value of ['not json', '{"a":1}', '[1,2]']) {
    await store.set(heldAnswersKey(FAN), value, 60_000)
    t.same(await held.take(), [], value)
  }
  await store.set(heldAnswersKey(FAN), 'junk', 60_000)
  await held.add(['答案'])
  t.same(await held.take(), ['答案'], 'adding replaces junk')
})

test('a failing store: nothing held, nothing given, warnings without the openid or the text', async (t) => {
  const fail = async (): Promise<never> => { throw Object.assign(new Error(`down: ${heldAnswersKey(FAN)}`), { code: 'ECONNRESET' }) }
  const store: Store = { get: fail, set: fail, setIfAbsent: fail, getAndDelete: fail, delete: fail, deleteIfEquals: fail, renewIfEquals: fail, guardedSetIfAbsent: fail, close: async () => {} }
  const log = recordingLogger()
  const held = createHeldAnswers({ store, openid: FAN, log })
  await held.add(['秘密回答'])
  t.equal(await held.waiting(), false)
  t.same(await held.take(), [])
  t.same(log.calls.map((c) => c.obj), [
    { operation: 'add', errorType: 'Error', code: 'ECONNRESET' },
    { operation: 'waiting', errorType: 'Error', code: 'ECONNRESET' },
    { operation: 'take', errorType: 'Error', code: 'ECONNRESET' }
  ])
  t.notOk(JSON.stringify(log.calls).includes(FAN))
})

test('one reply from the held answers and the new one: what fits, then the notice', async (t) => {
  t.same(withHeld(['上次的回答'], '这次的回答'), { text: '上次的回答\n\n这次的回答', rest: [] })
  t.same(withHeld(['上次的回答'], undefined), { text: '上次的回答', rest: [] })
  t.same(withHeld(['上次的回答'], HOLDING_TEXT), { text: `上次的回答\n\n${HOLDING_TEXT}`, rest: [] })
  const big = '长'.repeat(600)
  const packed = withHeld([big, big, 'c'], 'd')
  t.same(packed, { text: `${big}${MORE_HELD_NOTICE}`, rest: [big, 'c', 'd'] }, '1800 bytes each: one per reply')
  t.ok(utf8Bytes(packed.text) <= PASSIVE_TEXT_MAX_BYTES)
  const near = '满'.repeat(670)
  const two = withHeld([near], 'x'.repeat(36))
  t.equal(utf8Bytes(two.text), 2048, 'exactly full: no notice needed when nothing is left')
  t.same(two.rest, [])
  t.same(withHeld([near], 'x'.repeat(37)).rest, ['x'.repeat(37)], 'one byte more: the new answer waits')
  t.same(withHeld([], undefined), { text: '', rest: [] })
})
