import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { test } from 'tap'
import { parseEncodingAesKey } from '../../src/protocol/aes-key.js'
import { buildEncryptedReply } from '../../src/protocol/message-crypto.js'
import { reply } from '../../src/protocol/reply.js'
import { parseSendArgs } from '../../sandbox/cli-args.js'
import { EXIT, runProgram, sandboxSettings } from '../../sandbox/program.js'
import type { RunningSandbox } from '../../sandbox/sandbox-app.js'
import { describeReply } from '../../sandbox/reply-text.js'
import { ACCOUNT_ID, SHARED, startWemp } from './wemp-server.js'

const BUILT_MAIN = fileURLToPath(new URL('../../dist/sandbox/main.js', import.meta.url))

function capture (): { io: { stdout: { write(s: string): void }, stderr: { write(s: string): void } }, out: () => string, err: () => string } {
  let out = ''
  let err = ''
  return { io: { stdout: { write: (s) => { out += s } }, stderr: { write: (s) => { err += s } } }, out: () => out, err: () => err }
}

const env = (extra: Record<string, string> = {}) => ({
  WECHAT_TOKEN: SHARED.token, WECHAT_APPID: SHARED.appId, WECHAT_APPSECRET: SHARED.appSecret,
  WECHAT_ENCODING_AES_KEY: SHARED.encodingAesKey, WECHAT_ACCOUNT_ID: ACCOUNT_ID, ...extra
})

test('settings: the server variables with their development defaults, plus the sandbox ones', async (t) => {
  const defaults = sandboxSettings({})
  t.match(defaults, { host: '127.0.0.1', port: 3100, options: { token: 'wempdevtoken', appId: 'wx0000000000000000', mode: 'plain', serverUrl: 'http://127.0.0.1:3000/wechat', accountId: 'gh_wempsandbox0', encodingAesKey: 'wempDevelopmentEncodingAesKey00000000000000' } })
  const custom = sandboxSettings(env({ SANDBOX_PORT: '4100', SANDBOX_HOST: '0.0.0.0', SANDBOX_SERVER_URL: 'http://10.0.0.1/wx', WECHAT_MESSAGE_MODE: 'safe' }))
  t.match(custom, { host: '0.0.0.0', port: 4100, options: { token: SHARED.token, mode: 'safe', serverUrl: 'http://10.0.0.1/wx', accountId: ACCOUNT_ID } })
  t.notOk('encodingAesKey' in sandboxSettings({ NODE_ENV: 'production', WECHAT_TOKEN: 'tok123', WECHAT_APPID: 'wxprod', WECHAT_APPSECRET: 's', SESSION_SECRET: 'x'.repeat(40) }).options)
})

test('send: prints the decoded reply, exit 0; --raw adds both XMLs', async (t) => {
  const wemp = await startWemp(t, { messageMode: 'safe' })
  const run = capture()
  t.equal(await runProgram(['send', '北京天气', '--mode', 'safe', '--raw'], env({ SANDBOX_SERVER_URL: wemp.url }), run.io), EXIT.ok)
  t.match(run.out(), /^text → http:\/\/127\.0\.0\.1:\d+\/wechat\?signature=/)
  t.match(run.out(), /safe mode\nMsgSignature ok\n\n北京天气\n/)
  t.match(run.out(), /--- request ---\n<xml><ToUserName><!\[CDATA\[gh_wempsandbox0\]\]><\/ToUserName><Encrypt>/)
  t.match(run.out(), /--- request \(plaintext\) ---\n<xml>.*<Content><!\[CDATA\[北京天气\]\]>/)
  t.match(run.out(), /--- reply \(decrypted\) ---\n<xml><ToUserName><!\[CDATA\[oSandboxFan00000000000000001\]\]>/)

  const event = capture()
  t.equal(await runProgram(['send', '--event', 'unsubscribe', '--server', wemp.url, '--mode', 'safe', '--from', 'oOtherFan', '--raw'], env(), event.io), EXIT.ok)
  t.match(event.out(), /\(no reply: success or empty body\)[\s\S]*--- reply ---\nsuccess/)
  t.notMatch(event.out(), /decrypted/)
})

test('send against a plain server: every kind of action, human-readable', async (t) => {
  const wemp = await startWemp(t)
  const cases: Array<[string[], RegExp]> = [
    [['--event', 'subscribe'], /欢迎关注测试号/],
    [['--event', 'subscribe', '--key', 'poster'], /二维码场景：poster/],
    [['--event', 'SCAN', '--key', 'poster'], /扫码场景：poster/],
    [['--event', 'CLICK', '--key', 'K1'], /菜单：K1/],
    [['--event', 'VIEW', '--key', 'https://example.com'], /no reply/],
    [['--location', '31.23,121.47', '--label', '上海外滩'], /你的位置：上海外滩\n纬度 31\.23，经度 121\.47/],
    [['--location=-33.8,151.2'], /未命名地点/],
    [['--image'], /\[图片\] MediaId SandboxImageMediaId/],
    [['--voice'], /\[语音\] MediaId SandboxVoiceMediaId/],
    [['--link', 'https://example.com/x'], /收到链接/]
  ]
  for (const [args, expected] of cases) {
    const run = capture()
    t.equal(await runProgram(['send', ...args, '--server', wemp.url], env(), run.io), EXIT.ok, args.join(' '))
    t.match(run.out(), expected, args.join(' '))
  }
})

test('production settings with no EncodingAESKey: plain mode works', async (t) => {
  const wemp = await startWemp(t)
  const run = capture()
  const production = { NODE_ENV: 'production', WECHAT_TOKEN: SHARED.token, WECHAT_APPID: SHARED.appId, WECHAT_APPSECRET: 'prod-secret', SESSION_SECRET: 'p'.repeat(40), WECHAT_ACCOUNT_ID: ACCOUNT_ID }
  t.equal(await runProgram(['send', 'hi', '--server', wemp.url], production, run.io), EXIT.ok)
  t.match(run.out(), /\nhi\n/)
})

test('a reply signed with another token: the CLI says MISMATCH and exits 1', async (t) => {
  const server = createServer((req, res) => {
    const nonce = new URL(req.url ?? '/', 'http://x').searchParams.get('nonce') as string
    res.end(buildEncryptedReply({ key: parseEncodingAesKey(SHARED.encodingAesKey), appId: SHARED.appId, token: 'anothertoken', replyXml: '<xml/>', timestamp: '1714112445', nonce }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => server.close())
  const run = capture()
  t.equal(await runProgram(['send', 'hi', '--mode', 'safe', '--server', `http://127.0.0.1:${(server.address() as AddressInfo).port}/`], env(), run.io), EXIT.invalidReply)
  t.match(run.err(), /MsgSignature MISMATCH \(expected [0-9a-f]{40}\)/)
})

test('describes every reply type', async (t) => {
  t.equal(describeReply({ type: 'video', mediaId: 'm' }), '[视频]  MediaId m')
  t.equal(describeReply({ type: 'video', mediaId: 'm', title: 'T' }), '[视频] T MediaId m')
  t.equal(describeReply({ type: 'music', thumbMediaId: 't' }), '[音乐]  ThumbMediaId t')
  t.equal(describeReply({ type: 'music', thumbMediaId: 't', title: '歌' }), '[音乐] 歌 ThumbMediaId t')
  t.equal(describeReply({ type: 'news', articles: [{ title: 'A', description: '', picUrl: '', url: 'u1' }, { title: 'B', description: '', picUrl: '', url: 'u2' }] }), '[图文 1] A\n  u1\n[图文 2] B\n  u2')
  t.equal(describeReply({ type: 'transfer_customer_service' }), '[转接客服]')
  t.equal(describeReply({ type: 'transfer_customer_service', kfAccount: 'kf@gh' }), '[转接客服] kf@gh')
})

test('an invalid reply: exit 1 with why on stderr', async (t) => {
  const wemp = await startWemp(t, {}, { text: () => reply.news([1, 2].map((n) => ({ title: `t${n}`, description: '', picUrl: '', url: '' }))) })
  const run = capture()
  const server = createServer((_req, res) => { res.end('{"errcode":0}') })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => server.close())
  t.equal(await runProgram(['send', 'hi', '--server', `http://127.0.0.1:${(server.address() as AddressInfo).port}/`], env(), run.io), EXIT.invalidReply)
  t.match(run.err(), /该公众号暂时无法提供服务，请稍后再试\nwhy: 回复是 JSON/)
  t.equal(run.out(), '')
  t.ok(wemp)
})

test('a late server: three retries, exit 2', async (t) => {
  const server = createServer((_req, res) => { setTimeout(() => res.end('success'), 1000).unref() })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { server.closeAllConnections(); server.close() })
  const run = capture()
  t.equal(await runProgram(['send', 'hi', '--raw', '--server', `http://127.0.0.1:${(server.address() as AddressInfo).port}/`], env(), run.io, { timeoutMs: 200 }), EXIT.late)
  t.match(run.err(), /, 3 retries\n[\s\S]*why: 4 次投递都失败，最后一次：0\.2 秒内没有回复/)
  t.match(run.err(), /--- reply ---\n\(none\)/)
})

test('usage and configuration errors', async (t) => {
  const cases: Array<[string[], Record<string, string>, number, RegExp]> = [
    [['dance'], {}, EXIT.usage, /unknown command dance/],
    [['send'], {}, EXIT.usage, /exactly one of TEXT/],
    [['send', 'a', '--image'], {}, EXIT.usage, /exactly one of/],
    [['send', '--bogus'], {}, EXIT.usage, /Unknown option '--bogus'/],
    [['send', 'a', '--mode', 'secret'], {}, EXIT.usage, /--mode must be plain, compatible or safe/],
    [['send', '--location', 'north'], {}, EXIT.usage, /--location must be LAT,LNG/],
    [['send', '--event', 'SCAN'], {}, EXIT.usage, /needs --key SCENE/],
    [['send', '--event', 'CLICK'], {}, EXIT.usage, /needs --key KEY/],
    [['send', '--event', 'VIEW'], {}, EXIT.usage, /needs --key URL/],
    [['send', '--event', 'LOCATION'], {}, EXIT.usage, /--event must be subscribe/],
    [['send', 'hi'], { SANDBOX_PORT: 'abc' }, EXIT.config, /SANDBOX_PORT is invalid/],
    [['send', 'hi'], { SANDBOX_PORT: '70000' }, EXIT.config, /SANDBOX_PORT is invalid/],
    [['send', 'hi'], { WECHAT_MESSAGE_MODE: 'loud' }, EXIT.config, /WECHAT_MESSAGE_MODE is invalid/]
  ]
  for (const [args, extra, code, message] of cases) {
    const run = capture()
    t.equal(await runProgram(args, env(extra), run.io), code, args.join(' '))
    t.match(run.err(), message, args.join(' '))
  }
  t.same(parseSendArgs(['']), { ok: false, error: 'TEXT must not be empty' })
  for (const args of [['help'], ['--help'], ['send', '--help']]) {
    const run = capture()
    t.equal(await runProgram(args, {}, run.io), EXIT.ok)
    t.match(run.out(), /usage: wemp-sandbox \[serve\][\s\S]*exit codes: 0/)
  }
})

test('serve: starts the sandbox with the configured port and announces where to point the server', async (t) => {
  const run = capture()
  const running = await runProgram([], env({ SANDBOX_PORT: '0', WECHAT_MESSAGE_MODE: 'compatible' }), run.io) as RunningSandbox
  t.teardown(() => running.close())
  t.match(running.url, /^http:\/\/127\.0\.0\.1:\d+$/)
  t.match(run.out(), new RegExp(`WECHAT_API_BASE=${running.url} WECHAT_OAUTH_BASE=${running.url}`))
  t.match(run.out(), `WECHAT_JSSDK_URL=${running.url}/open/js/jweixin-1.6.0.js`)
  t.match(run.out(), /compatible mode/)
  t.equal((await fetch(`${running.url}/`)).status, 200)
  const second = await runProgram(['serve'], env({ SANDBOX_PORT: '0' }), capture().io) as RunningSandbox
  await second.close()
})

test('the built bin: shebang, send with exit code, serve until SIGTERM', { skip: existsSync(BUILT_MAIN) ? false : 'run `npm run build` first' }, async (t) => {
  const wemp = await startWemp(t)
  const child = spawn(process.execPath, [BUILT_MAIN, 'send', '你好', '--server', wemp.url], { env: { PATH: process.env.PATH ?? '', ...env() } })
  let out = ''
  child.stdout.on('data', (c: Buffer) => { out += String(c) })
  t.equal(await new Promise((resolve) => child.on('exit', resolve)), 0)
  t.match(out, /\n你好\n/)
  const server = spawn(process.execPath, [BUILT_MAIN], { env: { PATH: process.env.PATH ?? '', ...env({ SANDBOX_PORT: '0' }) } })
  const url = await new Promise<string>((resolve) => {
    let text = ''
    server.stdout.on('data', (c: Buffer) => {
      text += String(c)
      const match = /wemp sandbox: (http:\S+)/.exec(text)
      if (match?.[1] !== undefined) resolve(match[1])
    })
  })
  t.equal((await fetch(`${url}/api/session`)).status, 200)
  server.kill('SIGTERM')
  t.equal(await new Promise((resolve) => server.on('exit', resolve)), 0, 'closes cleanly on SIGTERM')
})
