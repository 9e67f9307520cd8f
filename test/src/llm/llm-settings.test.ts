import { test } from 'tap'
import { DEFAULT_LLM_MAX_TURNS, DEFAULT_LLM_TIMEOUT_MS, LlmSettingsError, readLlmSettings } from '../../../src/llm/llm-settings.js'

const BASE = { LLM_BASE_URL: 'https://api.deepseek.com/v1', LLM_MODEL: 'deepseek-chat' }

test('without LLM_BASE_URL there is no model, whatever else is set', async (t) => {
  t.equal(readLlmSettings({}), undefined)
  t.equal(readLlmSettings({ LLM_BASE_URL: '', LLM_MODEL: 'x', LLM_API_KEY: 'sk-1' }), undefined)
})

test('the settings with their defaults: 60 s, the last turns remembered', async (t) => {
  t.same(readLlmSettings(BASE), { baseUrl: BASE.LLM_BASE_URL, model: 'deepseek-chat', timeoutMs: DEFAULT_LLM_TIMEOUT_MS, maxTurns: DEFAULT_LLM_MAX_TURNS })
  t.equal(DEFAULT_LLM_TIMEOUT_MS, 60_000)
  t.same(readLlmSettings({
    ...BASE, LLM_API_KEY: 'sk-abc', LLM_SYSTEM_PROMPT: '你是客服。', LLM_TIMEOUT_MS: '15000', LLM_MAX_TURNS: '0', LLM_SOMETHING_ELSE: 'ignored'
  }), { baseUrl: BASE.LLM_BASE_URL, apiKey: 'sk-abc', model: 'deepseek-chat', systemPrompt: '你是客服。', timeoutMs: 15_000, maxTurns: 0 })
  t.match(readLlmSettings({ LLM_BASE_URL: 'http://127.0.0.1:11434/v1', LLM_MODEL: 'qwen2.5', LLM_API_KEY: '' }), { apiKey: undefined }, 'an empty key is no key (a local Ollama)')
})

test('a bad value is named by its variable, and the value never appears', async (t) => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [{ ...BASE, LLM_BASE_URL: 'ftp://secret-host.example/v1' }, /^LLM_BASE_URL is invalid: /],
    [{ ...BASE, LLM_BASE_URL: 'https://secret-host.example/v1?key=sk-in-url' }, /^LLM_BASE_URL is invalid: /],
    [{ LLM_BASE_URL: BASE.LLM_BASE_URL }, /^LLM_MODEL is invalid: /],
    [{ ...BASE, LLM_TIMEOUT_MS: 'sixty' }, /^LLM_TIMEOUT_MS is invalid: Expected integer/],
    [{ ...BASE, LLM_TIMEOUT_MS: '10' }, /^LLM_TIMEOUT_MS is invalid: /],
    [{ ...BASE, LLM_MAX_TURNS: '-1' }, /^LLM_MAX_TURNS is invalid: /],
    [{ ...BASE, LLM_MAX_TURNS: '51' }, /^LLM_MAX_TURNS is invalid: /],
    [{ ...BASE, LLM_SYSTEM_PROMPT: 'secret-prompt '.repeat(700) }, /^LLM_SYSTEM_PROMPT is invalid: /]
  ]
  for (const [env, message] of cases) {
    const error = t.throws(() => readLlmSettings(env), LlmSettingsError) as Error
    t.match(error.message, message)
    for (const secret of ['secret', 'sk-in-url', 'sixty']) t.notOk(error.message.includes(secret), `${error.message}: no value`)
  }
})
