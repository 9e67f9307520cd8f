import { spawnSync } from 'node:child_process'
import { closeSync, constants, mkdtempSync, openSync, readFileSync, readSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pino from 'pino'
import { test } from 'tap'
import { asyncLogDestination, loggerOptions, pathOnly, written } from '../../src/logging.js'
import { PUSHES, textPush } from '../fixtures/pushes.js'
import { build } from '../helpers/build.js'
import { platformSignature } from '../helpers/wechat-request.js'

const TOKEN = 'testtoken123'
const FAN = 'oFan00000000000000000000001'

interface Sent { signature: string, timestamp: string, nonce: string }

test('I85: a batch of requests at trace level leaves no secret, identity or content in the logs', async (t) => {
  const logLines: string[] = []
  const app = await build(t, { logLines })
  const now = Math.floor(Date.now() / 1000)
  const sent: Sent[] = []
  let counter = 0
  const url = (extra: Record<string, string> = {}) => {
    // Timestamps 200 s in the past, so that they are not a prefix of the log lines' millisecond times.
    const timestamp = String(now - 200 - counter)
    const nonce = `Nonce${++counter}Zq7`
    const signature = platformSignature(TOKEN, timestamp, nonce)
    sent.push({ signature, timestamp, nonce })
    return `/wechat?${new URLSearchParams({ signature, timestamp, nonce, ...extra }).toString()}`
  }
  const xml = { 'content-type': 'text/xml' }
  const echostr = 'EchoStr6120937461'

  t.equal((await app.inject({ method: 'GET', url: url({ echostr }) })).statusCode, 200, 'server check')
  const fixtureTypes: string[] = []
  for (const [name, body] of Object.entries(PUSHES)) {
    const res = await app.inject({ method: 'POST', url: url({ openid: FAN }), headers: xml, payload: body })
    t.equal(res.statusCode, 200, name)
    fixtureTypes.push(name)
  }
  const contents = ['SecretContentAlpha', '你好秘密内容', 'MsgContent<b>42</b>']
  for (const [i, content] of contents.entries()) {
    t.equal((await app.inject({ method: 'POST', url: url({ openid: FAN }), headers: xml, payload: textPush({ content, msgId: String(7000 + i) }) })).statusCode, 200)
  }
  const badSig = `/wechat?signature=${'ab'.repeat(20)}&timestamp=${now}&nonce=BadNonce77&openid=${FAN}&echostr=BadEcho99`
  t.equal((await app.inject({ method: 'GET', url: badSig })).statusCode, 403, 'bad signature GET')
  t.equal((await app.inject({ method: 'POST', url: badSig, headers: xml, payload: textPush({ content: 'SecretContentBeta' }) })).statusCode, 403, 'bad signature POST')
  t.equal((await app.inject({ method: 'POST', url: url(), headers: xml, payload: '<xml><Content>SecretContentGamma</Contant></xml>' })).statusCode, 400, 'bad XML')
  t.equal((await app.inject({ method: 'POST', url: url(), headers: xml, payload: textPush({ content: 'SecretContentDelta', createTime: 'abc' }) })).statusCode, 400, 'bad field')
  t.equal((await app.inject({ method: 'POST', url: url({ openid: 'oMismatchedOpenid' }), headers: xml, payload: textPush({ content: 'SecretContentEps', msgId: '7100' }) })).statusCode, 400, 'identity mismatch')
  t.equal((await app.inject({ method: 'POST', url: url(), headers: { 'content-type': 'application/json' }, payload: '{"Content":"SecretContentZeta"}' })).statusCode, 415, 'JSON')
  t.equal((await app.inject({ method: 'GET', url: url() })).statusCode, 400, 'server check without echostr')

  const log = logLines.join('')
  t.ok(logLines.length > 20, `lines were collected (${logLines.length})`)
  const forbidden: Record<string, string[]> = {
    token: [TOKEN],
    signature: sent.map((s) => s.signature).concat('ab'.repeat(20)),
    nonce: sent.map((s) => s.nonce).concat('BadNonce77'),
    timestamp: sent.map((s) => s.timestamp),
    openid: [FAN, 'oMismatchedOpenid'],
    content: ['this is a test', 'SecretContent', '你好秘密内容', 'MsgContent', '位置信息', '公众平台官网链接', 'SCENE_VALUE', 'EVENTKEY', 'qrscene_123123', ' 广州市海珠区'],
    echostr: [echostr, 'BadEcho99'],
    query: ['signature=', 'nonce=', 'timestamp=', 'openid=', 'echostr=', '?']
  }
  for (const [kind, values] of Object.entries(forbidden)) {
    for (const value of values) {
      const hit = logLines.find((line) => line.includes(value))
      t.equal(hit, undefined, `${kind} ${JSON.stringify(value.slice(0, 24))} is not logged`)
    }
  }
  t.match(log, /"path":"\/wechat"/, 'the path is logged')
  t.notMatch(log, /"url":/, 'no url field')
  // Every push's access line names its type.
  const received = logLines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.msg === 'request' && entry.status === 200)
  const types = new Set(received.map((entry) => entry.pushType))
  for (const type of ['text', 'image', 'voice', 'video', 'shortvideo', 'location', 'link', 'subscribe', 'unsubscribe', 'SCAN', 'LOCATION',
    'CLICK', 'VIEW', 'scancode_push', 'scancode_waitmsg', 'pic_sysphoto', 'pic_photo_or_album', 'pic_weixin', 'location_select',
    'TEMPLATESENDJOBFINISH', 'MASSSENDJOBFINISH', 'miniprogrampage', 'view_miniprogram']) {
    t.ok(types.has(type), `pushType ${type} is logged`)
  }
  t.equal(fixtureTypes.length, Object.keys(PUSHES).length)
})

test('I85: a handler failure is logged without the message content', async (t) => {
  const logLines: string[] = []
  const app = await build(t, { logLines, handlers: { text: () => { throw new Error('handler failed on purpose') } } })
  const ts = String(Math.floor(Date.now() / 1000))
  const res = await app.inject({
    method: 'POST',
    url: `/wechat?signature=${platformSignature(TOKEN, ts, 'FailNonce1')}&timestamp=${ts}&nonce=FailNonce1`,
    headers: { 'content-type': 'text/xml' },
    payload: textPush({ content: 'FailingSecretContent' })
  })
  t.equal(res.statusCode, 503)
  const log = logLines.join('')
  t.match(log, 'handler failed on purpose', 'the error is logged')
  t.match(log, '"pushType":"text"')
  t.notMatch(log, 'FailingSecretContent')
  t.notMatch(log, FAN)
  t.notMatch(log, 'FailNonce1')
})

test('I85: an unknown route does not log its query string', async (t) => {
  const logLines: string[] = []
  const app = await build(t, { logLines })
  await app.inject({ method: 'GET', url: '/wx?signature=LeakedSig123&openid=oLeakedOpenid' })
  const log = logLines.join('')
  t.notMatch(log, 'LeakedSig123')
  t.notMatch(log, 'oLeakedOpenid')
})

test('pathOnly drops the query', async (t) => {
  t.equal(pathOnly('/wechat?signature=x&nonce=y'), '/wechat')
  t.equal(pathOnly('/wechat'), '/wechat')
  t.equal(pathOnly('/?'), '/')
  t.equal(pathOnly('/a?b?c'), '/a')
})

test('loggerOptions: serializers keep method, path, ip and status only; cookies and authorization are redacted', async (t) => {
  const options = loggerOptions('info') as { level: string, stream?: unknown, redact: { paths: string[] }, serializers: Record<string, (v: unknown) => unknown> }
  t.equal(options.level, 'info')
  t.notOk('stream' in options, 'no stream unless given')
  t.same(options.serializers.req?.({ method: 'POST', url: '/wechat?openid=o1&signature=s', id: 'req-1', ip: '10.0.0.1', headers: { cookie: 'c' } }),
    { method: 'POST', path: '/wechat', ip: '10.0.0.1' })
  t.same(options.serializers.res?.({ statusCode: 204, headers: { 'set-cookie': 'x' } }), { statusCode: 204 })
  t.ok(options.redact.paths.includes('req.headers.cookie'))
  t.ok(options.redact.paths.includes('req.headers.authorization'))
  const stream = { write: () => {} }
  t.equal((loggerOptions('debug', stream) as { stream: unknown }).stream, stream, 'a stream is passed through')
})

test('written: every line given to the asynchronous destination is in the file when it resolves', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'wemp-log-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'out.log')
  const destination = asyncLogDestination(openSync(file, 'w'))
  const log = pino({ level: 'info' }, destination)
  // More than one write's worth, all queued before the first write completes.
  for (let i = 0; i < 20_000; i++) log.info({ i }, 'line')
  await written(destination)
  const lines = readFileSync(file, 'utf8').split('\n').filter((line) => line !== '')
  t.equal(lines.length, 20_000)
  t.match(JSON.parse(lines.at(-1) as string), { i: 19_999, msg: 'line' })
  destination.end()
})

test('written: a reader that stopped reading holds it back no longer than asked', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'wemp-log-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const fifo = join(dir, 'fifo')
  t.equal(spawnSync('mkfifo', [fifo]).status, 0, 'mkfifo')
  // Both ends in one descriptor: nobody reads it until the test does, so its 64 KiB fill up.
  const fd = openSync(fifo, constants.O_RDWR | constants.O_NONBLOCK)
  const destination = asyncLogDestination(fd)
  const log = pino({ level: 'info' }, destination)
  for (let i = 0; i < 5000; i++) log.info({ i, padding: 'x'.repeat(40) }, 'line')
  const began = Date.now()
  await written(destination, 300)
  const waited = Date.now() - began
  t.ok(waited >= 250 && waited < 2000, `gave up after ${waited} ms`)
  // Reading the pipe lets the rest through: the destination was still trying.
  const drained = written(destination, 10_000)
  const chunk = Buffer.alloc(1 << 16)
  let bytes = 0
  const reader = setInterval(() => {
    try { for (;;) bytes += readSync(fd, chunk) } catch { /* EAGAIN: empty for now */ }
  }, 5)
  await drained
  clearInterval(reader)
  try { for (;;) bytes += readSync(fd, chunk) } catch { /* empty */ }
  t.ok(bytes > 5000 * 60, `all ${bytes} bytes came out`)
  destination.end()
})

test('written: a destination that fails has nothing more to write', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'wemp-log-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const fd = openSync(join(dir, 'out.log'), 'w')
  const destination = asyncLogDestination(fd)
  const errors: unknown[] = []
  destination.on('error', (error) => errors.push(error))
  closeSync(fd)
  const began = Date.now()
  await written(destination, 5000)
  t.ok(Date.now() - began < 4000, 'resolved on the error, not the timer')
  t.match(errors, [{ code: 'EBADF' }])
})
