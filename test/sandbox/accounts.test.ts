import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'tap'
import type { AccountSettings } from '../../src/accounts/account-settings.js'
import { EXIT, runProgram, sandboxSettings } from '../../sandbox/program.js'
import { startSandbox } from '../../sandbox/sandbox-app.js'
import { build } from '../helpers/build.js'
import { SHARED } from './wemp-server.js'

// The sandbox playing two accounts against one wemp that serves both.

const NEWS: AccountSettings = { id: 'news', token: 'newstoken02', appId: 'wxnewsapp00000002', appSecret: 'news-secret', messageMode: 'safe', encodingAesKey: SHARED.encodingAesKey, welcomeText: '欢迎订阅' }
const SHOP: AccountSettings = { id: 'shop', token: 'shoptoken01', appId: 'wxshopapp00000001', appSecret: 'shop-secret', messageMode: 'plain', welcomeText: '欢迎光临' }
const XIAOMING = 'oSandboxFan00000000000000001'

async function wempFor (t: { teardown(fn: () => unknown): void }): Promise<string> {
  const app = await build(t, {
    accounts: [SHOP, NEWS],
    bot: ({ account }) => async (push) => push.kind === 'message' && push.type === 'text' ? { type: 'text', content: `${account.id}: ${push.message.Content}` } : undefined
  })
  return `${await app.listen({ host: '127.0.0.1', port: 0 })}/wechat`
}

function accountsEnv (serverUrl: string): Record<string, string> {
  const file = join(mkdtempSync(join(tmpdir(), 'wemp-sandbox-accounts-')), 'accounts.json')
  writeFileSync(file, JSON.stringify({ accounts: [{ ...SHOP, appSecret: 'env:SHOP_SECRET' }, NEWS] }))
  return { WECHAT_ACCOUNTS_FILE: file, SHOP_SECRET: SHOP.appSecret, SANDBOX_SERVER_URL: serverUrl }
}

test('settings from WECHAT_ACCOUNTS_FILE: every account, each pushed to /wechat/<id> with its own secrets', async (t) => {
  const { options } = sandboxSettings(accountsEnv('http://127.0.0.1:3000/wechat/'))
  t.match(options, { id: 'shop', token: 'shoptoken01', appId: SHOP.appId, appSecret: 'shop-secret', mode: 'plain', serverUrl: 'http://127.0.0.1:3000/wechat/shop' })
  t.match(options.accounts, [{ id: 'news', token: 'newstoken02', mode: 'safe', encodingAesKey: SHARED.encodingAesKey, serverUrl: 'http://127.0.0.1:3000/wechat/news' }])
  t.equal(sandboxSettings({}).options.serverUrl, 'http://127.0.0.1:3000/wechat', 'one account: `default` at /wechat itself')
})

test('the console writes to the account picked; each account has its own tokens on the platform', async (t) => {
  const serverUrl = await wempFor(t)
  const { options } = sandboxSettings(accountsEnv(serverUrl))
  const sandbox = await startSandbox({ ...options, accountName: '小店' })
  t.teardown(() => sandbox.close())
  const session = await (await fetch(`${sandbox.url}/api/session`)).json() as { accounts: Array<Record<string, string>> }
  t.match(session.accounts, [{ id: 'shop', name: '小店', appId: SHOP.appId, mode: 'plain' }, { id: 'news', appId: NEWS.appId, mode: 'safe' }])
  const send = async (account: string | undefined, content: string) => await (await fetch(`${sandbox.url}/api/send`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...(account === undefined ? {} : { account }), openid: XIAOMING, action: { kind: 'text', content } })
  })).json() as { mode: string, result: { kind: string, reply?: { content: string } } }
  t.match(await send('news', '早'), { mode: 'safe', result: { kind: 'reply', reply: { content: 'news: 早' } } })
  t.match(await send(undefined, '你好'), { mode: 'plain', result: { kind: 'reply', reply: { content: 'shop: 你好' } } }, 'the first account by default')
  const unknown = await fetch(`${sandbox.url}/api/send`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ account: 'blog', openid: XIAOMING, action: { kind: 'text', content: 'x' } }) })
  t.equal(unknown.status, 404)
  const token = async (appid: string, secret: string) => (await (await fetch(`${sandbox.url}/cgi-bin/stable_token`, {
    method: 'POST', body: JSON.stringify({ grant_type: 'client_credential', appid, secret })
  })).json() as { access_token?: string, errcode?: number })
  const shopToken = await token(SHOP.appId, SHOP.appSecret)
  const newsToken = await token(NEWS.appId, NEWS.appSecret)
  t.ok(shopToken.access_token !== undefined && newsToken.access_token !== undefined && shopToken.access_token !== newsToken.access_token)
  t.equal((await token(NEWS.appId, SHOP.appSecret)).errcode, 40125, 'another account\'s secret is refused')
})

test('wemp-sandbox send --account pushes as that account', async (t) => {
  const serverUrl = await wempFor(t)
  let out = ''
  let err = ''
  const io = { stdout: { write: (s: string) => { out += s } }, stderr: { write: (s: string) => { err += s } } }
  t.equal(await runProgram(['send', '你好', '--account', 'news'], accountsEnv(serverUrl), io), EXIT.ok)
  t.match(out, 'news: 你好')
  t.equal(await runProgram(['send', '你好', '--account', 'blog'], accountsEnv(serverUrl), io), EXIT.usage)
  t.match(err, 'no account blog (the accounts: shop, news)')
})
