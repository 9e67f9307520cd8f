import { test } from 'tap'
import { loadConfig, validateConfig } from '../../src/config.js'
import { configErrorOf, testConfig } from '../helpers/config.js'

const LLM = { LLM_BASE_URL: 'https://api.deepseek.com/v1', LLM_MODEL: 'deepseek-chat', LLM_API_KEY: 'sk-live-0123456789' }

test('LLM_* and LATE_REPLY_MODE in the config of the account default', async (t) => {
  const { config } = loadConfig({ ...LLM, LATE_REPLY_MODE: 'customer-service' })
  t.same(config.llm, { baseUrl: LLM.LLM_BASE_URL, model: 'deepseek-chat', apiKey: LLM.LLM_API_KEY, timeoutMs: 60_000, maxTurns: 10 })
  t.equal(config.lateReplyMode, 'customer-service')
  const unset = loadConfig({ LLM_MODEL: 'ignored without a base URL' }).config
  t.equal(unset.llm, undefined)
  t.equal(unset.lateReplyMode, undefined)
  t.notOk('llm' in unset, 'no key for an absent model')
})

test('bad values are refused naming the variable, never the value', async (t) => {
  const cases: Array<[Record<string, string>, string]> = [
    [{ ...LLM, LLM_TIMEOUT_MS: 'sk-live-abc' }, 'LLM_TIMEOUT_MS is invalid: Expected integer'],
    [{ ...LLM, LLM_BASE_URL: 'sk-live-as-url' }, 'LLM_BASE_URL is invalid: '],
    [{ LATE_REPLY_MODE: 'sk-live-mode' }, 'LATE_REPLY_MODE is invalid: ']
  ]
  for (const [env, start] of cases) {
    const message = configErrorOf(() => loadConfig(env))
    t.ok(message.startsWith(start), message)
    t.notOk(message.includes('sk-live'), 'no value in the message')
  }
})

test('a config object built by hand: llm checked by the same schema, errors name the variable', async (t) => {
  const llm = { baseUrl: 'http://127.0.0.1:11434/v1', model: 'qwen2.5', timeoutMs: 5000, maxTurns: 2 }
  t.same(testConfig({ llm, lateReplyMode: 'retry-window' }).llm, llm)
  t.match(configErrorOf(() => testConfig({ llm: { ...llm, maxTurns: 99 } })), /^LLM_MAX_TURNS is invalid: /)
  t.match(configErrorOf(() => validateConfig({ ...testConfig(), llm: { ...llm, extra: 1 } })), /^llm\/extra is invalid: /)
})
