import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'tap'
import { parseAccountsFile, readAccountsFile } from '../../../src/accounts/accounts-file.js'
import { configuredAccounts } from '../../../src/accounts/configured-accounts.js'
import { DEVELOPMENT_DEFAULTS } from '../../../src/config.js'
import { configErrorOf, testConfig } from '../../helpers/config.js'

const KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'
const config = testConfig({ welcomeText: '服务器的欢迎语' })
const production = testConfig({ production: true, wechatToken: 'ProdToken42', appId: 'wx1234567890abcdef', appSecret: 'prod-appsecret-abcdef0123456789', sessionSecret: 'p'.repeat(40) })
const news = { id: 'news', token: 'env:NEWS_TOKEN', appId: 'wxnews0000000001', appSecret: 'env:NEWS_APPSECRET', messageMode: 'safe', encodingAesKey: 'env:NEWS_AES_KEY', accountId: 'gh_news', welcomeText: '欢迎订阅' }
const shop = { id: 'shop', token: 'shoptoken01', appId: 'wxshop0000000002', appSecret: 'shop-secret' }
const ENV = { NEWS_TOKEN: 'newstoken02', NEWS_APPSECRET: 'news-secret', NEWS_AES_KEY: KEY }

test('a file of accounts: env: secrets resolved, plain mode and the server\'s welcome text by default', async (t) => {
  t.same(parseAccountsFile({ accounts: [news, shop] }, config, ENV), [
    { messageMode: 'safe', welcomeText: '欢迎订阅', id: 'news', token: 'newstoken02', appId: 'wxnews0000000001', appSecret: 'news-secret', encodingAesKey: KEY, accountId: 'gh_news' },
    { messageMode: 'plain', welcomeText: '服务器的欢迎语', id: 'shop', token: 'shoptoken01', appId: 'wxshop0000000002', appSecret: 'shop-secret' }
  ])
})

test('every error names the account and the field, never the value', async (t) => {
  const bad = (accounts: unknown[], env: Record<string, string> = ENV) => configErrorOf(() => parseAccountsFile({ accounts }, config, env))
  t.equal(bad([news], {}), 'WECHAT_ACCOUNTS_FILE: accounts[0] (news).token: NEWS_TOKEN is not set')
  t.match(bad([shop, { ...shop, id: 'x', appId: 'wx2', token: 'no spaces!' }]), /^WECHAT_ACCOUNTS_FILE: accounts\[1\] \(x\)\.token: /)
  t.notMatch(bad([shop, { ...shop, id: 'x', appId: 'wx2', token: 'no spaces!' }]), 'no spaces!')
  t.match(bad([{ ...shop, id: 'Bad Id' }]), 'WECHAT_ACCOUNTS_FILE: accounts[0] (Bad Id).id: ', 'an id is no secret')
  t.match(bad([{ ...shop, colour: 'red' }]), /^WECHAT_ACCOUNTS_FILE: accounts\[0\] \(shop\)/, 'unknown fields are refused')
  t.match(bad([{ ...shop, messageMode: 'safe' }]), 'accounts[0] (shop).encodingAesKey is required in safe mode')
  t.match(bad([shop, { ...shop, appId: 'wx9' }]), 'two accounts have the id shop')
  t.match(bad([shop, { ...shop, id: 'shop2' }]), 'two accounts have the appId of shop2')
  t.match(configErrorOf(() => parseAccountsFile({ accounts: [] }, config, ENV)), /^WECHAT_ACCOUNTS_FILE: accounts: /)
  t.match(configErrorOf(() => parseAccountsFile([], config, ENV)), /^WECHAT_ACCOUNTS_FILE: the file: /)
  t.match(configErrorOf(() => parseAccountsFile({ accounts: [{ token: 'x' }] }, config, ENV)), /^WECHAT_ACCOUNTS_FILE: accounts\[0\]\.\w+: /, 'an entry without an id')
  t.match(configErrorOf(() => parseAccountsFile({ accounts: [42] }, config, ENV)), /^WECHAT_ACCOUNTS_FILE: accounts\[0\]: /, 'an entry that is no object')
})

test('production rules apply to every account: no development default', async (t) => {
  const withDefault = { ...shop, appSecret: DEVELOPMENT_DEFAULTS.appSecret }
  t.equal(configErrorOf(() => parseAccountsFile({ accounts: [withDefault] }, production, ENV)),
    'WECHAT_ACCOUNTS_FILE: accounts[0] (shop).appSecret must not be the development default in production')
  t.equal(parseAccountsFile({ accounts: [withDefault] }, config, ENV).length, 1, 'allowed in development')
})

test('read from disk: missing file, not JSON, and the configured accounts', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'wemp-accounts-'))
  const path = join(dir, 'accounts.json')
  t.match(configErrorOf(() => readAccountsFile(path, config, ENV)), 'WECHAT_ACCOUNTS_FILE cannot be read (ENOENT)')
  writeFileSync(path, '{ accounts: ')
  t.equal(configErrorOf(() => readAccountsFile(path, config, ENV)), 'WECHAT_ACCOUNTS_FILE is not JSON')
  writeFileSync(path, JSON.stringify({ accounts: [shop] }))
  t.same(configuredAccounts({ ...config, accountsFile: path }, ENV).map((a) => a.id), ['shop'])
  t.same(configuredAccounts(config, ENV).map((a) => [a.id, a.appId, a.token]), [['default', config.appId, config.wechatToken]], 'without a file: the account `default`')
})
