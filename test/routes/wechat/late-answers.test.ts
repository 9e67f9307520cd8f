// A model that takes 2 s, 8 s, 13 s and 40 s, under each LATE_REPLY_MODE, at a quarter of WeChat's
// timing (SCALED: 1.25 s a delivery, three deliveries, a 0.95 s deadline): 0.5 s, 1.9 s, 3.1 s (the
// middle of the first, second and third delivery) and 6 s (past the last). Which delivery answers,
// what the fan sees, and one model call for each question.
import { setTimeout as sleep } from 'node:timers/promises'
import { test } from 'tap'
import type { Account } from '../../../src/accounts/account.js'
import { createHeldAnswers, heldAnswersKey, HOLDING_TEXT } from '../../../src/inbound/held-answers.js'
import { RETRY_WINDOW_KEY } from '../../../src/inbound/late-reply-mode.js'
import { reply } from '../../../src/protocol/reply.js'
import { createMemoryStore } from '../../../src/store/memory-store.js'
import type { Store } from '../../../src/store/store.js'
import type { LateReplyMode } from '../../../src/accounts/account-settings.js'
import type { BotFactory } from '../../../src/accounts/account.js'
import { startPlatform } from '../../fixtures/platform-fixture.js'
import { recordingLogger } from '../../helpers/bot-context.js'
import { build } from '../../helpers/build.js'
import { ACCOUNT_ID, SHARED } from '../../sandbox/wemp-server.js'
import { answeredBy, callsFor, customTexts, errorLines, modelAccount, newFan, say, SCALED, seen, SEND_PATH, until } from './model-account.js'

const QUESTIONS = { quick: '问题 500', slow: '问题 1900', slower: '问题 3100', slowest: '问题 6000' } as const
/** Past the last delivery's deadline (2.5 s + 0.95 s), with room. */
const PAST_THE_LAST = 4500

test('customer-service: in time a passive reply; later success at once, then the answer as a customer-service message', async (t) => {
  const logLines: string[] = []
  const { url, platform, llm } = await modelAccount(t, { lateReplyMode: 'customer-service', logLines })
  await Promise.all(Object.values(QUESTIONS).map(async (question) => {
    const fan = newFan(platform)
    const exchange = await say(url, fan, question)
    t.equal(answeredBy(exchange), 1, `${question}: the first delivery answers`)
    if (question === QUESTIONS.quick) {
      t.equal(seen(exchange), `答：${question}`)
    } else {
      t.equal(seen(exchange), 'silent', `${question}: nothing in the chat yet, never "该公众号暂时无法提供服务"`)
      t.same(await until('the customer-service message', () => customTexts(platform, fan)[0]), `答：${question}`)
    }
    t.equal(callsFor(llm, question), 1, `${question}: one model call`)
  }))
  t.equal(platform.state.messages.length, 3)
  t.same(errorLines(logLines), [])
})

test('retry-window: the delivery that finds the answer carries it; past the last, the holding text and the next message', async (t) => {
  const logLines: string[] = []
  const { url, platform, llm, account } = await modelAccount(t, { lateReplyMode: 'retry-window', customerService: false, logLines })
  const expected: Record<string, [number, string]> = {
    [QUESTIONS.quick]: [1, `答：${QUESTIONS.quick}`],
    [QUESTIONS.slow]: [2, `答：${QUESTIONS.slow}`],
    [QUESTIONS.slower]: [3, `答：${QUESTIONS.slower}`],
    [QUESTIONS.slowest]: [3, HOLDING_TEXT]
  }
  const fans: Record<string, string> = {}
  await Promise.all(Object.entries(expected).map(async ([question, [delivery, text]]) => {
    const fan = fans[question] = newFan(platform)
    const started = Date.now()
    const exchange = await say(url, fan, question)
    t.same([answeredBy(exchange), seen(exchange)], [delivery, text], `${question}: delivery ${delivery}`)
    t.ok(Date.now() - started < 2 * SCALED.timeoutMs + SCALED.replyDeadlineMs + 250, 'within WeChat\'s three deliveries')
  }))
  const slowest = fans[QUESTIONS.slowest] as string
  await until('the held answer', async () => await account().store.get(heldAnswersKey(slowest)) ?? undefined)
  const next = await say(url, slowest, '在吗')
  t.same([answeredBy(next), seen(next)], [1, `答：${QUESTIONS.slowest}\n\n答：在吗`], 'the held answer comes first, this message\'s after it')
  t.equal(seen(await say(url, slowest, '还有吗')), '答：还有吗', 'handed over once')
  t.equal(seen(await say(url, fans[QUESTIONS.quick] as string, '你好')), '答：你好', 'another fan never gets it')
  for (const question of Object.values(QUESTIONS)) t.equal(callsFor(llm, question), 1, `${question}: one model call`)
  t.equal(platform.state.callCount(SEND_PATH), 0, 'no customer-service message is tried')
  t.same(errorLines(logLines), [], 'deliveries WeChat hung up on end without an error')
})

test('retry-window: a slow answer to the message that carries a held one follows with the message after', async (t) => {
  const { url, platform, account } = await modelAccount(t, { lateReplyMode: 'retry-window' })
  const fan = newFan(platform)
  t.equal(seen(await say(url, fan, `问题 ${PAST_THE_LAST}`)), HOLDING_TEXT)
  await until('the held answer', async () => await account().store.get(heldAnswersKey(fan)) ?? undefined)
  const next = await say(url, fan, '再问 1500')
  t.same([answeredBy(next), seen(next)], [1, `答：问题 ${PAST_THE_LAST}\n\n${HOLDING_TEXT}`], 'in time, without waiting for the retries')
  await until('the second held answer', async () => await account().store.get(heldAnswersKey(fan)) ?? undefined)
  t.equal(seen(await say(url, fan, '好')), '答：再问 1500\n\n答：好')
})

test('auto: customer-service until a 48001, then retry-window for the account, remembered in the store', async (t) => {
  const logLines: string[] = []
  const { url, platform, llm, account } = await modelAccount(t, { customerService: false, logLines })
  const first = newFan(platform)
  t.equal(seen(await say(url, first, QUESTIONS.slow)), 'silent', 'assumed customer-service: success at the deadline')
  await until('the switch', async () => await account().store.get(RETRY_WINDOW_KEY) ?? undefined)
  t.same(customTexts(platform, first), [], 'the platform refused it')
  await until('the held answer', async () => await account().store.get(heldAnswersKey(first)) ?? undefined)
  t.equal(seen(await say(url, first, '在吗')), `答：${QUESTIONS.slow}\n\n答：在吗`, 'the refused answer comes with the fan\'s next message')

  const second = newFan(platform)
  const exchange = await say(url, second, QUESTIONS.slow)
  t.same([answeredBy(exchange), seen(exchange)], [2, `答：${QUESTIONS.slow}`], 'now through WeChat\'s retries')
  t.equal(callsFor(llm, QUESTIONS.slow), 2, 'one call for each fan\'s question')
  t.equal(platform.state.callCount(SEND_PATH), 1, 'one 48001 and no more tries')
  t.match(logLines.join('\n'), /late answers now ride on WeChat's retries/)
  t.same(errorLines(logLines), [])
})

test('auto with the rights stays customer-service', async (t) => {
  const { url, platform, account } = await modelAccount(t)
  const fan = newFan(platform)
  t.equal(seen(await say(url, fan, QUESTIONS.slow)), 'silent')
  t.same(await until('the customer-service message', () => customTexts(platform, fan)[0]), `答：${QUESTIONS.slow}`)
  t.equal(await account().store.get(RETRY_WINDOW_KEY), null)
})

test('retry-window: a bot that fails on the message carrying held answers keeps them for WeChat\'s retry', async (t) => {
  let failures = 1
  const app = await build(t, {
    config: { accountId: ACCOUNT_ID, lateReplyMode: 'retry-window', replyDeadlineMs: SCALED.replyDeadlineMs },
    bot: () => async (push) => {
      if (push.kind !== 'message' || push.type !== 'text') return undefined
      if (push.message.Content === '出错' && failures-- > 0) throw new Error('the bot failed')
      return reply.text(`好的：${push.message.Content}`)
    }
  })
  const url = `${await app.listen({ host: '127.0.0.1', port: 0 })}/wechat`
  const fan = 'oSandboxFan00000000000000001'
  await createHeldAnswers({ store: (app.wemp.accounts.get('default') as Account).store, openid: fan, log: app.log }).add(['上次的回答'])
  const exchange = await say(url, fan, '出错')
  t.same(exchange.attempts.map((a) => a.status), [503, 200], 'not success: WeChat delivers again')
  t.equal(seen(exchange), '上次的回答\n\n好的：出错')
})

test('a non-text answer can neither follow later nor share a reply with held answers: dropped, with a warning', async (t) => {
  const platform = await startPlatform(t, { appId: SHARED.appId, appSecret: SHARED.appSecret })
  const logLines: string[] = []
  // An image, after as many milliseconds as the text's last number says.
  const bot: BotFactory = () => async (push) => {
    if (push.kind !== 'message' || push.type !== 'text') return undefined
    await sleep(Number(/(\d+)$/.exec(push.message.Content)?.[1] ?? 0))
    return reply.image('MEDIA_ID')
  }
  const serve = async (lateReplyMode: LateReplyMode): Promise<{ url: string, account: Account }> => {
    const app = await build(t, { config: { apiBase: platform.url, accountId: ACCOUNT_ID, lateReplyMode, replyDeadlineMs: SCALED.replyDeadlineMs }, bot, logLines })
    return { url: `${await app.listen({ host: '127.0.0.1', port: 0 })}/wechat`, account: app.wemp.accounts.get('default') as Account }
  }
  const dropped = (): number => logLines.filter((line) => line.includes('a non-text answer cannot follow later')).length

  const customerService = await serve('customer-service')
  const fan = newFan(platform)
  t.equal(seen(await say(customerService.url, fan, '图 1500')), 'silent')
  await until('the warning', () => dropped() === 1 ? true : undefined)
  t.equal(platform.state.callCount(SEND_PATH), 0, 'no customer-service message')

  const retryWindow = await serve('retry-window')
  t.equal(seen(await say(retryWindow.url, fan, `图 ${PAST_THE_LAST}`)), HOLDING_TEXT)
  await until('the warning', () => dropped() === 2 ? true : undefined)
  t.equal(await retryWindow.account.store.get(heldAnswersKey(fan)), null, 'nothing held')
  t.equal(seen(await say(retryWindow.url, fan, '图')), 'image', 'an image in time is a reply as usual')
  await createHeldAnswers({ store: retryWindow.account.store, openid: fan, log: recordingLogger() }).add(['上次的回答'])
  t.equal(seen(await say(retryWindow.url, fan, '图')), '上次的回答', 'the held answer takes the reply')
  t.equal(dropped(), 3)
})

test('held answers: a message answered with nothing gets them alone; taken meanwhile by another push, this one answers alone', async (t) => {
  const inner = createMemoryStore()
  let taken = 0
  // Another instance takes the fan's held answers between this one's look and its take.
  const store: Store = {
    ...inner,
    getAndDelete: async (key) => {
      if (!key.includes('late-answer:') || taken === 0) return await inner.getAndDelete(key)
      taken--
      await inner.delete(key)
      return null
    }
  }
  const app = await build(t, {
    store,
    config: { accountId: ACCOUNT_ID, lateReplyMode: 'retry-window', replyDeadlineMs: SCALED.replyDeadlineMs },
    bot: () => async (push) => {
      if (push.kind !== 'message' || push.type !== 'text') return undefined
      const { Content } = push.message
      if (Content.startsWith('无')) return undefined
      await sleep(Number(/(\d+)$/.exec(Content)?.[1] ?? 0))
      return reply.text(`好的：${Content}`)
    }
  })
  const url = `${await app.listen({ host: '127.0.0.1', port: 0 })}/wechat`
  const fan = 'oSandboxFan00000000000000001'
  const held = createHeldAnswers({ store: (app.wemp.accounts.get('default') as Account).store, openid: fan, log: recordingLogger() })

  await held.add(['上次的回答'])
  t.equal(seen(await say(url, fan, '无话')), '上次的回答', 'no answer of its own: the held one alone')
  await held.add(['被取走的'])
  taken = 1
  t.equal(seen(await say(url, fan, '快')), '好的：快')
  await held.add(['又被取走的'])
  taken = 1
  t.equal(seen(await say(url, fan, '慢 1500')), HOLDING_TEXT, 'too slow: the holding text, in time')
  await until('the late answer held', async () => await held.waiting() ? true : undefined)
  t.equal(seen(await say(url, fan, '无')), '好的：慢 1500')
})
