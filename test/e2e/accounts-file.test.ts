import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'tap'
import { textPush } from '../fixtures/pushes.js'
import { runServerToExit, startServer } from '../helpers/server-process.js'
import { signedUrl } from '../helpers/wechat-request.js'
import { untilTrue } from '../helpers/until.js'

// The built server with WECHAT_ACCOUNTS_FILE and WEMP_BOT, as an operator runs it.

const SERVER_ENV = { SESSION_SECRET: 'e2e-session-secret-0123456789-abcdef', LOG_LEVEL: 'info' }
const account = (id: string, token: string, extra: Record<string, unknown> = {}) =>
  ({ id, token, appId: `wx${id}000000000001`, appSecret: `env:${id.toUpperCase()}_SECRET`, ...extra })

function tempDir (): string {
  return mkdtempSync(join(tmpdir(), 'wemp-accounts-e2e-'))
}

async function push (base: string, path: string, token: string, content = 'hi'): Promise<{ status: number, text: string }> {
  const res = await fetch(`${base}${signedUrl({ token, path })}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: textPush({ content, msgId: String(Date.now()) + String(Math.random()).slice(2, 8) }) })
  return { status: res.status, text: await res.text() }
}

test('SIGHUP re-reads the file: added accounts answer, removed ones 404, a broken file is refused and the old set stays', async (t) => {
  const dir = tempDir()
  const file = join(dir, 'accounts.json')
  writeFileSync(file, JSON.stringify({ accounts: [account('news', 'newstoken01'), account('shop', 'shoptoken01')] }))
  const server = await startServer({ ...SERVER_ENV, WECHAT_ACCOUNTS_FILE: file, NEWS_SECRET: 'n-secret', SHOP_SECRET: 's-secret', BLOG_SECRET: 'b-secret' })
  t.teardown(async () => { server.child.kill('SIGTERM'); await server.exited })
  t.match(server.output(), /"accounts":\["news","shop"\]/)
  t.match((await push(server.url, '/wechat/news', 'newstoken01', '早')).text, '<Content><![CDATA[早]]></Content>')
  t.equal((await push(server.url, '/wechat/blog', 'blogtoken01')).status, 404)

  writeFileSync(file, JSON.stringify({ accounts: [account('news', 'newstoken02'), account('blog', 'blogtoken01')] }))
  server.child.kill('SIGHUP')
  await untilTrue('the reload', () => server.output().includes('accounts reloaded'), 5000, 50)
  t.match(server.output(), /"added":\["blog"\],"removed":\["shop"\],"changed":\["news"\]/)
  t.equal((await push(server.url, '/wechat/blog', 'blogtoken01')).status, 200, 'an added account answers')
  t.equal((await push(server.url, '/wechat/shop', 'shoptoken01')).status, 404, 'a removed account is gone')
  t.equal((await push(server.url, '/wechat/news', 'newstoken01')).status, 403, 'a changed secret applies: the old token no longer signs')
  t.equal((await push(server.url, '/wechat/news', 'newstoken02')).status, 200)

  writeFileSync(file, JSON.stringify({ accounts: [account('news', 'bad token!')] }))
  server.child.kill('SIGHUP')
  await untilTrue('the refusal', () => server.output().includes('accounts not reloaded'), 5000, 50)
  t.match(server.output(), /WECHAT_ACCOUNTS_FILE: accounts\[0\] \(news\)\.token/, 'the reason names the account and field')
  t.notMatch(server.output(), /bad token!|n-secret|s-secret|b-secret/, 'no secret or refused value in the log')
  t.equal((await push(server.url, '/wechat/blog', 'blogtoken01')).status, 200, 'the running accounts stay')
  t.equal((await push(server.url, '/wechat/news', 'newstoken02')).status, 200)
})

test('a file that fails its checks stops the start, naming the account and field', async (t) => {
  const dir = tempDir()
  const file = join(dir, 'accounts.json')
  writeFileSync(file, JSON.stringify({ accounts: [account('news', 'newstoken01')] }))
  const { code, output } = await runServerToExit({ ...SERVER_ENV, WECHAT_ACCOUNTS_FILE: file })
  t.equal(code, 1)
  t.match(output, 'WECHAT_ACCOUNTS_FILE: accounts[0] (news).appSecret: NEWS_SECRET is not set')
})

test('WEMP_BOT loads the user\'s bot without code changes, by account id', async (t) => {
  const dir = tempDir()
  const file = join(dir, 'accounts.json')
  writeFileSync(file, JSON.stringify({ accounts: [account('news', 'newstoken01'), account('shop', 'shoptoken01')] }))
  writeFileSync(join(dir, 'my-bot.mjs'), [
    'export default {',
    '  news: ({ account }) => async (push) => ({ type: "text", content: `${account.id} bot: ${push.message.Content}` })',
    '}', ''
  ].join('\n'))
  const server = await startServer({ ...SERVER_ENV, WECHAT_ACCOUNTS_FILE: file, NEWS_SECRET: 'n', SHOP_SECRET: 's', WEMP_BOT: join(dir, 'my-bot.mjs') })
  t.teardown(async () => { server.child.kill('SIGTERM'); await server.exited })
  t.match((await push(server.url, '/wechat/news', 'newstoken01', 'hello')).text, '<Content><![CDATA[news bot: hello]]></Content>')
  t.match((await push(server.url, '/wechat/shop', 'shoptoken01', 'hello')).text, '<Content><![CDATA[hello]]></Content>', 'the others keep the default bot')
  const broken = await runServerToExit({ ...SERVER_ENV, WEMP_BOT: join(dir, 'missing.mjs') })
  t.equal(broken.code, 1)
  t.match(broken.output, /WEMP_BOT cannot be loaded from .*missing\.mjs/)
})
