import { test } from 'tap'
import { pino } from 'pino'
import { createMemoryStore } from '../../../src/store/memory-store.js'
import type { Store } from '../../../src/store/store.js'
import { lastMessage, type FakeModel } from '../../helpers/fake-llm.js'
import { FAN, text } from './bot-fixtures.js'
import { API_KEY, setup, SYSTEM_PROMPT } from './llm-fixtures.js'

const QUESTION = '我下周去成都出差，住在春熙路附近，要带伞吗'
const ANSWER_MARK = '带一把折叠伞吧'
const ERROR_MARK = 'upstream-said-紫罗兰'

/** Every word a log line must never hold: the key, the prompt, the fan, what was said and answered. */
const SECRETS = [API_KEY, API_KEY.slice(-12), SYSTEM_PROMPT, '紫罗兰七号', FAN, QUESTION, '春熙路', '成都', ANSWER_MARK, ERROR_MARK, '继续', '清除记忆', '晴，最高']

/** Asks for the weather, answers long (so a rest is held), then fails with a talkative error body. */
const model: FakeModel = (request, index) => {
  const last = lastMessage(request)
  if (index === 0) return { toolCalls: [{ name: 'get_weather', arguments: { city: '成都', day: '下周三' } }] }
  if (last.role === 'tool') return { text: `${ANSWER_MARK}。${String(last.content)}\n${'细节'.repeat(500)}` }
  return { status: 400, error: { message: `${ERROR_MARK}: ${String(last.content)} ${API_KEY}` } }
}

test('at trace level the log holds lengths, timings, tokens and kinds, never a key, prompt or text', async (t) => {
  const lines: string[] = []
  const log = pino({ level: 'trace' }, { write: (line: string) => { lines.push(line) } })
  const inner = createMemoryStore()
  // The store fails once on a per-fan key, with an error that quotes it, as a Redis error can.
  let failed = false
  const store: Store = { ...inner, delete: async (key) => { if (!failed && key.startsWith('llm-memory:')) { failed = true; throw new Error(`READONLY ${key}`) } await inner.delete(key) } }
  const { llm, say } = await setup(t, { model, log, store })

  const first = await say(text(QUESTION))
  t.match(first, ANSWER_MARK, 'the fan got the answer…')
  t.match(await say(text('继续')), '细节')
  t.match(await say(text('那明天呢')), /^抱歉/, '…and the apology')
  await say(text('清除记忆'))
  t.equal(llm.requests[0]?.headers.authorization, `Bearer ${API_KEY}`, 'the secrets were in play')
  t.match(llm.requests[0]?.body.messages[0]?.content, SYSTEM_PROMPT)

  const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>)
  t.match(records, [
    { level: 30, msg: 'the model answered', inputLength: QUESTION.length, historyTurns: 0, parts: 2, requests: 2, toolCalls: 1, promptTokens: 22, completionTokens: 14, finishReason: 'stop' },
    { level: 40, msg: 'the model gave no answer; the fan gets an apology', kind: 'http', status: 400 },
    { level: 40, msg: 'llm memory store failed', operation: 'forget', errorType: 'Error' }
  ])
  t.equal(records.length, 3)
  t.type(records[0]?.ms, 'number')
  t.type(records[0]?.answerBytes, 'number')
  for (const secret of SECRETS) {
    t.notOk(lines.some((line) => line.includes(secret) || line.includes(JSON.stringify(secret).slice(1, -1))), `no log line holds ${secret.slice(0, 6)}…`)
  }
})
