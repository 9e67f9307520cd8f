import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'tap'
import { parseAccountsFile, readAccountsFile } from '../../../src/accounts/accounts-file.js'
import { DEVELOPMENT_DEFAULTS } from '../../../src/config.js'
import { DEFAULT_LLM_MAX_TURNS, DEFAULT_LLM_TIMEOUT_MS } from '../../../src/llm/llm-settings.js'
import { configErrorOf, testConfig } from '../../helpers/config.js'

const AES = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'
const SHOP = { id: 'shop', token: 'shoptoken01', appId: 'wxshop0000000001', appSecret: 'shop-secret-0123456789' }
const NEWS = { id: 'news', token: 'env:NEWS_TOKEN', appId: 'wxnews0000000002', appSecret: 'env:NEWS_SECRET', messageMode: 'safe', encodingAesKey: 'env:NEWS_AES' }
const ENV = { NEWS_TOKEN: 'newstoken02', NEWS_SECRET: 'news-secret-abcdef', NEWS_AES: AES, DEEPSEEK_KEY: 'sk-live-4242424242' }
const DEEPSEEK = { baseUrl: 'https://api.deepseek.com/v1', apiKey: 'env:DEEPSEEK_KEY', model: 'deepseek-chat', systemPrompt: '你是花店客服。' }
const config = testConfig()

const parse = (accounts: unknown[], env: Record<string, string> = ENV, production = false) =>
  parseAccountsFile({ accounts }, testConfig({ production }), env)

test('two accounts: defaults filled in, env: references resolved', async (t) => {
  const [shop, news] = parse([SHOP, NEWS])
  t.same(shop, { ...SHOP, messageMode: 'plain', welcomeText: config.welcomeText })
  t.same(news, { ...NEWS, token: 'newstoken02', appSecret: 'news-secret-abcdef', encodingAesKey: AES, welcomeText: config.welcomeText })
})

test('an account\'s model: the key from the environment, the timeout and the memory by default', async (t) => {
  const [shop, local] = parse([
    { ...SHOP, llm: DEEPSEEK, lateReplyMode: 'retry-window' },
    { ...NEWS, id: 'local', appId: 'wxlocal000000003', llm: { baseUrl: 'http://127.0.0.1:11434/v1', model: 'qwen2.5:7b', timeoutMs: 20_000, maxTurns: 0 } }
  ])
  t.same(shop?.llm, { ...DEEPSEEK, apiKey: ENV.DEEPSEEK_KEY, timeoutMs: DEFAULT_LLM_TIMEOUT_MS, maxTurns: DEFAULT_LLM_MAX_TURNS })
  t.equal(shop?.lateReplyMode, 'retry-window')
  t.same(local?.llm, { baseUrl: 'http://127.0.0.1:11434/v1', model: 'qwen2.5:7b', timeoutMs: 20_000, maxTurns: 0 }, 'no key for a local server')
  t.equal(local?.lateReplyMode, undefined, 'absent: auto')
})

test('every error names the account and the field, never a value', async (t) => {
  const cases: Array<[unknown[], Record<string, string>, RegExp]> = [
    [[{ ...SHOP, llm: { ...DEEPSEEK, apiKey: 'env:MISSING_KEY' } }], ENV, /^WECHAT_ACCOUNTS_FILE: accounts\[0\] \(shop\)\.llm\.apiKey: MISSING_KEY is not set$/],
    [[{ ...SHOP, llm: { ...DEEPSEEK, apiKey: 'env:DEEPSEEK_KEY' } }], { ...ENV, DEEPSEEK_KEY: '' }, /accounts\[0\] \(shop\)\.llm\.apiKey: DEEPSEEK_KEY is not set$/],
    [[{ ...SHOP, llm: { ...DEEPSEEK, apiKey: '' } }], ENV, /accounts\[0\] \(shop\)\.llm\.apiKey: /],
    [[{ ...SHOP, llm: { ...DEEPSEEK, baseUrl: 'ftp://secret-host.example' } }], ENV, /accounts\[0\] \(shop\)\.llm\.baseUrl: /],
    [[{ ...SHOP, llm: { ...DEEPSEEK, timeoutMs: 10 } }], ENV, /accounts\[0\] \(shop\)\.llm\.timeoutMs: /],
    [[{ ...SHOP, llm: { ...DEEPSEEK, model: undefined } }], ENV, /accounts\[0\] \(shop\)\.llm\.model: /],
    [[{ ...SHOP, llm: { ...DEEPSEEK, sauce: 'secret' } }], ENV, /accounts\[0\] \(shop\)\.llm\.sauce: /],
    [[SHOP, { ...NEWS, lateReplyMode: 'secret-mode' }], ENV, /^WECHAT_ACCOUNTS_FILE: accounts\[1\] \(news\)\.lateReplyMode: /],
    [[{ ...SHOP, token: 'env:NO_SUCH' }], ENV, /accounts\[0\] \(shop\)\.token: NO_SUCH is not set$/],
    [[{ ...SHOP, token: 'x' }], ENV, /accounts\[0\] \(shop\)\.token: /],
    [[{ ...SHOP, messageMode: 'safe' }], ENV, /accounts\[0\] \(shop\)\.encodingAesKey is required in safe mode$/],
    [[SHOP, { ...SHOP, appId: 'wxother' }], ENV, /two accounts have the id shop$/],
    [[SHOP, { ...SHOP, id: 'copy' }], ENV, /two accounts have the appId of copy$/],
    [[{ ...SHOP, id: 42 }], ENV, /^WECHAT_ACCOUNTS_FILE: accounts\[0\]\.id: /],
    [[{ ...SHOP, id: 'Bad Id' }], ENV, /^WECHAT_ACCOUNTS_FILE: accounts\[0\] \(Bad Id\)\.id: /],
    [[{ ...SHOP, extra: 'secret' }], ENV, /accounts\[0\] \(shop\)\.extra: /],
    [[], ENV, /^WECHAT_ACCOUNTS_FILE: accounts: /],
    [['secret'], ENV, /^WECHAT_ACCOUNTS_FILE: accounts\[0\]: /]
  ]
  for (const [accounts, env, message] of cases) {
    const error = configErrorOf(() => parse(accounts, env))
    t.match(error, message)
    for (const value of ['secret', 'sk-live', 'ftp:', 'x:']) t.notOk(error.includes(value), `${error}: no value`)
  }
  t.match(configErrorOf(() => parseAccountsFile([SHOP], config, ENV)), /^WECHAT_ACCOUNTS_FILE: the file: /)
  t.match(configErrorOf(() => parseAccountsFile({ accounts: [SHOP], secret: 1 }, config, ENV)), /^WECHAT_ACCOUNTS_FILE: secret: Unexpected property/)
})

test('production refuses the development secrets in an account', async (t) => {
  const dev = { ...SHOP, appSecret: DEVELOPMENT_DEFAULTS.appSecret }
  t.match(configErrorOf(() => parse([dev], ENV, true)), /accounts\[0\] \(shop\)\.appSecret must not be the development default in production$/)
  t.equal(parse([dev], ENV, false).length, 1, 'development accepts them')
  t.equal(parse([SHOP, NEWS], ENV, true).length, 2, 'production accepts accounts with their own secrets')
})

test('the file is read from disk: unreadable and non-JSON files are named as such', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'wemp-accounts-'))
  const good = join(dir, 'accounts.json')
  writeFileSync(good, JSON.stringify({ accounts: [{ ...SHOP, llm: DEEPSEEK }] }))
  t.equal(readAccountsFile(good, config, ENV)[0]?.llm?.apiKey, ENV.DEEPSEEK_KEY)
  const bad = join(dir, 'bad.json')
  writeFileSync(bad, '{ "accounts": [ sk-live-in-a-broken-file')
  t.equal(configErrorOf(() => readAccountsFile(bad, config, ENV)), 'WECHAT_ACCOUNTS_FILE is not JSON')
  t.equal(configErrorOf(() => readAccountsFile(join(dir, 'missing.json'), config, ENV)), 'WECHAT_ACCOUNTS_FILE cannot be read (ENOENT)')
})
