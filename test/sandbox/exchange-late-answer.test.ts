// The "done when", in real time: a 12-second answer reaches a fan of an account without
// customer-service rights through WeChat's own timing (5 s a delivery, three deliveries), never
// "该公众号暂时无法提供服务". The scaled-down runs of every case are in test/routes/wechat/late-answers.test.ts.
import { test } from 'tap'
import { REPLY_DEADLINE_MS } from '../../sandbox/push-delivery.js'
import { answeredBy, callsFor, errorLines, modelAccount, newFan, say, seen, SEND_PATH } from '../routes/wechat/model-account.js'

test('retry-window, real time: a 12 s answer arrives on the third delivery', async (t) => {
  const logLines: string[] = []
  const { url, platform, llm } = await modelAccount(t, { lateReplyMode: 'retry-window', customerService: false, config: { replyDeadlineMs: 4500 }, logLines })
  const question = '这个问题要想 12000'
  const started = Date.now()
  const exchange = await say(url, newFan(platform), question, { timeoutMs: REPLY_DEADLINE_MS, retries: 2 })
  const elapsed = Date.now() - started
  t.same([answeredBy(exchange), seen(exchange)], [3, `答：${question}`])
  t.same(exchange.attempts.map((a) => a.result), ['timeout', 'timeout', 'answered'])
  t.ok(elapsed >= 12_000 && elapsed < 14_500, `answered when the model did, before the last delivery's deadline (${elapsed} ms)`)
  t.equal(callsFor(llm, question), 1, 'one model call across the three deliveries')
  t.equal(platform.state.callCount(SEND_PATH), 0)
  t.same(errorLines(logLines), [])
})
