import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'tap'
import { configuredAccounts } from '../../../src/accounts/configured-accounts.js'
import { loadConfig } from '../../../src/config.js'
import { configErrorOf, PRODUCTION_ENV } from '../../helpers/config.js'

const LLM_ENV = { LLM_BASE_URL: 'http://127.0.0.1:11434/v1', LLM_MODEL: 'qwen2.5:7b', LLM_SYSTEM_PROMPT: '你是助手。', LLM_TIMEOUT_MS: '30000', LLM_MAX_TURNS: '4' }

test('the single-account variables describe the account default, its model and late-reply mode included', async (t) => {
  const env = { ...LLM_ENV, LATE_REPLY_MODE: 'retry-window', WECHAT_ACCOUNT_ID: 'gh_abc', WECHAT_MESSAGE_MODE: 'safe', WECHAT_ENCODING_AES_KEY_PREVIOUS: 'p'.repeat(43) }
  const [account, ...others] = configuredAccounts(loadConfig(env).config, env)
  t.same(others, [])
  t.match(account, {
    id: 'default',
    accountId: 'gh_abc',
    messageMode: 'safe',
    previousEncodingAesKey: 'p'.repeat(43),
    llm: { baseUrl: LLM_ENV.LLM_BASE_URL, model: 'qwen2.5:7b', systemPrompt: '你是助手。', timeoutMs: 30_000, maxTurns: 4 },
    lateReplyMode: 'retry-window'
  })
  t.equal(account?.llm?.apiKey, undefined)
})

test('without LLM_BASE_URL or LATE_REPLY_MODE the account has neither: rules, weather, echo; auto', async (t) => {
  const [account] = configuredAccounts(loadConfig({}).config, {})
  t.equal(account?.llm, undefined)
  t.equal(account?.lateReplyMode, undefined)
  t.notOk(account !== undefined && 'llm' in account, 'no llm key at all, so a reload compares equal')
  const [production] = configuredAccounts(loadConfig(PRODUCTION_ENV).config, PRODUCTION_ENV)
  t.same(Object.keys(production ?? {}).sort(), ['appId', 'appSecret', 'id', 'messageMode', 'token', 'welcomeText'], 'only what is set')
})

test('an accounts file lists the accounts; the single-account LLM variables beside it are refused', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'wemp-configured-'))
  const file = join(dir, 'accounts.json')
  writeFileSync(file, JSON.stringify({ accounts: [{ id: 'shop', token: 'shoptoken01', appId: 'wxshop01', appSecret: 'shop-secret', llm: { baseUrl: 'http://127.0.0.1:11434/v1', model: 'm' } }] }))
  const env = { WECHAT_ACCOUNTS_FILE: file }
  t.same(configuredAccounts(loadConfig(env).config, env).map((a) => [a.id, a.llm?.model]), [['shop', 'm']])
  for (const variable of ['LLM_BASE_URL', 'LLM_API_KEY', 'LLM_MODEL']) {
    t.equal(configErrorOf(() => loadConfig({ ...env, [variable]: 'sk-secret-value' })),
      `${variable} is set beside WECHAT_ACCOUNTS_FILE: describe every account's model in the file`)
  }
  t.equal(configErrorOf(() => loadConfig({ ...env, LATE_REPLY_MODE: 'auto' })), 'LATE_REPLY_MODE is set beside WECHAT_ACCOUNTS_FILE: describe every account in the file')
})
