import { test } from 'tap'
import { createBot, type BotHandlers } from '../../../src/bot/bot.js'
import { reply, type Reply } from '../../../src/protocol/reply.js'
import { answerPush } from '../../../src/inbound/answer-push.js'
import { PUSHES, textPush } from '../../fixtures/pushes.js'
import { pushOf, recordingLogger } from '../../helpers/bot-context.js'

/** Generous: these tests are about answers, not the deadline (which has its own tests below). */
const NO_DEADLINE = 60_000
const noLateReply = async (): Promise<void> => { throw new Error('late() must not be called in time') }

async function run (handlers: BotHandlers, xml: string, log = recordingLogger()): Promise<string> {
  return await answerPush(pushOf(xml), { bot: createBot(handlers), log, nowSeconds: () => 1700000000, deadlineMs: NO_DEADLINE, late: noLateReply })
}

test('a push with no handler gets success', async (t) => {
  t.equal(await run({}, PUSHES.text), 'success')
  t.equal(await run({ image: () => reply.text('x') }, PUSHES.text), 'success', 'another type\'s handler is not called')
})

test('a handler returning nothing gets success', async (t) => {
  t.equal(await run({ text: () => undefined }, PUSHES.text), 'success')
  t.equal(await run({ text: async () => undefined }, PUSHES.text), 'success')
})

test('each handler receives exactly its typed message and the context', async (t) => {
  const seen: string[] = []
  const log = recordingLogger()
  const handlers: BotHandlers = {
    text: (m, context) => {
      seen.push(`text:${m.Content}:${m.MsgId}`)
      t.equal(context.log, log, 'the logger is passed through')
      return reply.text('ok')
    },
    SCAN: (e) => { seen.push(`SCAN:${e.EventKey}`); return undefined },
    TEMPLATESENDJOBFINISH: (e) => { seen.push(`job:${e.MsgID}`); return undefined },
    other: (m) => { seen.push(`other:${m.MsgType}:${m.Event ?? ''}`); return undefined }
  }
  await run(handlers, PUSHES.text, log)
  await run(handlers, PUSHES.SCAN)
  await run(handlers, PUSHES.TEMPLATESENDJOBFINISH)
  await run(handlers, PUSHES.unknownType)
  await run(handlers, PUSHES.unknownEvent)
  await run(handlers, PUSHES.CLICK)
  t.same(seen, ['text:this is a test:1234567890123456', 'SCAN:SCENE_VALUE', 'job:200163836', 'other:miniprogrampage:', 'other:event:view_miniprogram'])
})

test('the reply is addressed back to the sender from the account, stamped now', async (t) => {
  const body = await answerPush(pushOf(textPush({ from: 'oSomeoneElse', to: 'gh_abcdef' })), {
    bot: createBot({ text: async () => reply.text('hi') }),
    log: recordingLogger(),
    nowSeconds: () => 1234,
    deadlineMs: NO_DEADLINE,
    late: noLateReply
  })
  t.equal(body, '<xml><ToUserName><![CDATA[oSomeoneElse]]></ToUserName><FromUserName><![CDATA[gh_abcdef]]></FromUserName>' +
    '<CreateTime>1234</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[hi]]></Content></xml>')
})

test('an invalid reply becomes success and an error log naming the push type and reason, not the content', async (t) => {
  const cases: Array<[string, () => Reply | undefined]> = [
    ['empty text', () => reply.text('')],
    ['bogus object', () => ({ type: 'bogus' }) as unknown as Reply],
    ['two articles to a text', () => reply.news([1, 2].map((n) => ({ title: `t${n}`, description: '', picUrl: '', url: '' })))],
    ['a string', () => 'hello' as unknown as Reply]
  ]
  for (const [label, handler] of cases) {
    const log = recordingLogger()
    t.equal(await run({ text: handler }, textPush({ content: 'SECRET-CONTENT' }), log), 'success', label)
    const errors = log.calls.filter((c) => c.level === 'error')
    t.equal(errors.length, 1, `${label}: one error log`)
    t.equal(errors[0]?.obj.pushType, 'text')
    t.type(errors[0]?.obj.reason, 'string')
    t.notMatch(JSON.stringify(log.calls), 'SECRET-CONTENT', 'the message content is not logged')
  }
})

test('transfer to customer service from an event handler becomes success and an error log', async (t) => {
  const log = recordingLogger()
  t.equal(await run({ CLICK: () => reply.transferToCustomerService() }, PUSHES.CLICK, log), 'success')
  t.match(log.calls, [{ level: 'error', obj: { pushType: 'CLICK', reason: 'events cannot be transferred to customer service' } }])
  t.match(await run({ text: () => reply.transferToCustomerService() }, PUSHES.text), /<MsgType><!\[CDATA\[transfer_customer_service\]\]><\/MsgType>/)
})

test('a handler that throws propagates (so the route does not answer success)', async (t) => {
  const log = recordingLogger()
  await t.rejects(run({ text: () => { throw new Error('boom') } }, PUSHES.text, log), { message: 'boom' })
  await t.rejects(run({ text: async () => { throw new Error('async boom') } }, PUSHES.text), { message: 'async boom' })
  await t.rejects(run({ other: () => { throw new TypeError('other boom') } }, PUSHES.unknownType), TypeError)
  t.same(log.calls, [], 'answerPush itself logs nothing; the caller decides')
})

/** A handler held until the test releases it, so "missed the deadline" needs no timing assumption. */
function gated<T> (): { wait: () => Promise<T>, release: (value: T) => void, fail: (err: Error) => void } {
  let release: (value: T) => void = () => {}
  let fail: (err: Error) => void = () => {}
  const gate = new Promise<T>((resolve, reject) => { release = resolve; fail = reject })
  return { wait: async () => await gate, release, fail }
}

const flush = async (): Promise<void> => { for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve)) }

test('a handler that misses the deadline: success now, its reply goes to late()', async (t) => {
  const gate = gated<Reply | undefined>()
  const late: Array<Reply | undefined> = []
  const log = recordingLogger()
  const answer = await answerPush(pushOf(PUSHES.text), {
    bot: createBot({ text: gate.wait }), log, nowSeconds: () => 1, deadlineMs: 1, late: async (r) => { late.push(r) }
  })
  t.equal(answer, 'success', 'WeChat is answered without waiting')
  t.match(log.calls, [{ level: 'warn', obj: { pushType: 'text', deadlineMs: 1 } }])
  t.same(late, [], 'nothing late yet')
  gate.release(reply.text('slow answer'))
  await flush()
  t.same(late, [reply.text('slow answer')], 'the late answer is handed over')
})

test('a handler that fails after the deadline is logged, and late() is not called', async (t) => {
  const gate = gated<Reply | undefined>()
  const late: unknown[] = []
  const log = recordingLogger()
  const answer = await answerPush(pushOf(PUSHES.text), {
    bot: createBot({ text: gate.wait }), log, nowSeconds: () => 1, deadlineMs: 1, late: async (r) => { late.push(r) }
  })
  t.equal(answer, 'success')
  gate.fail(new Error('too late and broken'))
  await flush()
  t.same(late, [])
  t.match(log.calls.filter((c) => c.level === 'error'), [{ obj: { pushType: 'text', err: { message: 'too late and broken' } } }])
})

test('a late() that fails is logged, never an unhandled rejection', async (t) => {
  const gate = gated<Reply | undefined>()
  const log = recordingLogger()
  await answerPush(pushOf(PUSHES.text), {
    bot: createBot({ text: gate.wait }), log, nowSeconds: () => 1, deadlineMs: 1, late: async () => { throw new Error('send failed') }
  })
  gate.release(reply.text('x'))
  await flush()
  t.match(log.calls.filter((c) => c.level === 'error'), [{ obj: { err: { message: 'send failed' } } }])
})

test('replyWith shapes the passive reply: the answer in time, or undefined with missed at the deadline', async (t) => {
  const seen: Array<[Reply | undefined, boolean]> = []
  const replyWith = async (answer: Reply | undefined, missed: boolean): Promise<Reply> => {
    seen.push([answer, missed])
    return reply.text(missed ? '还在想' : `【${answer?.type === 'text' ? answer.content : '?'}】`)
  }
  const inTime = await answerPush(pushOf(PUSHES.text), {
    bot: createBot({ text: () => reply.text('快') }), log: recordingLogger(), nowSeconds: () => 1, deadlineMs: NO_DEADLINE, replyWith, late: noLateReply
  })
  t.match(inTime, '<Content><![CDATA[【快】]]></Content>')
  const gate = gated<Reply | undefined>()
  const late: Array<Reply | undefined> = []
  const missed = await answerPush(pushOf(PUSHES.text), {
    bot: createBot({ text: gate.wait }), log: recordingLogger(), nowSeconds: () => 1, deadlineMs: 1, replyWith, late: async (r) => { late.push(r) }
  })
  t.match(missed, '<Content><![CDATA[还在想]]></Content>')
  gate.release(reply.text('慢'))
  await flush()
  t.same(seen, [[reply.text('快'), false], [undefined, true]])
  t.same(late, [reply.text('慢')], 'the late answer goes to late() as it is, not through replyWith')
})

test('without a deadline the bot is waited for; the context reaches the handler', async (t) => {
  const sent: string[][] = []
  const body = await answerPush(pushOf(PUSHES.text), {
    bot: createBot({
      text: async (_m, context) => {
        await new Promise((resolve) => setTimeout(resolve, 30))
        context.sendAfterReply?.(['第二段'])
        return reply.text('第一段')
      }
    }),
    log: recordingLogger(),
    nowSeconds: () => 1,
    context: { sendAfterReply: (texts) => { sent.push([...texts]) } }
  })
  t.match(body, '<Content><![CDATA[第一段]]></Content>')
  t.same(sent, [['第二段']])
})

test('a missed deadline with no late() drops the late answer quietly', async (t) => {
  const gate = gated<Reply | undefined>()
  const log = recordingLogger()
  t.equal(await answerPush(pushOf(PUSHES.text), { bot: createBot({ text: gate.wait }), log, nowSeconds: () => 1, deadlineMs: 1 }), 'success')
  gate.release(reply.text('nobody hears this'))
  await flush()
  t.same(log.calls.filter((c) => c.level === 'error'), [])
})
