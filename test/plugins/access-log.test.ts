import type { InjectOptions } from 'fastify'
import { test, type Test } from 'tap'
import { PUSHES, textPush } from '../fixtures/pushes.js'
import { build, type BuildOptions } from '../helpers/build.js'
import { platformSignature, signedUrl } from '../helpers/wechat-request.js'

const TOKEN = 'testtoken123'
const XML = { 'content-type': 'text/xml' }

type Line = Record<string, unknown>

/** The app at the level it ships with (info), and the lines written for each request alone. */
async function appAtInfo (t: Test, options: Omit<BuildOptions, 'logLines'> = {}) {
  const lines: string[] = []
  const app = await build(t, { ...options, logLines: lines, config: { logLevel: 'info', ...options.config } })
  return {
    app,
    /** Sends one request and returns the lines it caused. */
    async linesOf (request: InjectOptions): Promise<{ status: number, lines: Line[], raw: string }> {
      lines.length = 0
      const res = await app.inject(request)
      // onResponse runs once the response has gone: give it its turn.
      await new Promise((resolve) => setImmediate(resolve))
      return { status: res.statusCode, lines: lines.map((line) => JSON.parse(line) as Line), raw: lines.join('') }
    }
  }
}

const accessLine = (lines: Line[]) => lines.filter((line) => line.msg === 'request')

test('an answered push is one line at info: method, path, account, push type, outcome, status and time', async (t) => {
  const { linesOf } = await appAtInfo(t)
  const sent = await linesOf({ method: 'POST', url: signedUrl({ token: TOKEN }), headers: XML, payload: textPush({ msgId: '5100' }) })
  t.equal(sent.status, 200)
  t.equal(sent.lines.length, 1, 'one line, not three')
  const [line] = sent.lines
  t.match(line, { level: 30, msg: 'request', method: 'POST', path: '/wechat', account: 'default', pushType: 'text', outcome: 'answered', status: 200 })
  t.type(line?.ms, 'number')
  t.ok((line?.ms as number) >= 0)
  t.notOk('reason' in (line as Line), 'no reason when nothing was refused')
  t.notMatch(sent.raw, /signature|nonce|timestamp|\?/, 'nothing of the query')
})

test('a retry answered from the first delivery says duplicate; a push without an answer says no-reply', async (t) => {
  const { linesOf } = await appAtInfo(t)
  const url = signedUrl({ token: TOKEN })
  const push = textPush({ msgId: '5200' })
  t.match(accessLine((await linesOf({ method: 'POST', url, headers: XML, payload: push })).lines), [{ outcome: 'answered' }])
  const retry = await linesOf({ method: 'POST', url: signedUrl({ token: TOKEN }), headers: XML, payload: push })
  t.equal(retry.lines.length, 1)
  t.match(retry.lines, [{ outcome: 'duplicate', pushType: 'text', status: 200 }])
  const none = await linesOf({ method: 'POST', url: signedUrl({ token: TOKEN }), headers: XML, payload: PUSHES.unsubscribe })
  t.match(none.lines, [{ outcome: 'no-reply', pushType: 'unsubscribe', status: 200 }])
  t.equal(none.lines.length, 1)
})

test('a push whose bot misses the deadline says late: answered success now, the answer after it', async (t) => {
  let finished = 0
  const { linesOf } = await appAtInfo(t, {
    config: { replyDeadlineMs: 500 },
    handlers: { text: async () => { await new Promise((resolve) => setTimeout(resolve, 800)); finished++; return undefined } }
  })
  const sent = await linesOf({ method: 'POST', url: signedUrl({ token: TOKEN }), headers: XML, payload: textPush({ msgId: '5300' }) })
  t.equal(sent.status, 200)
  t.match(accessLine(sent.lines), [{ outcome: 'late', pushType: 'text', status: 200 }])
  t.equal(finished, 0, 'answered before the bot was done')
  await new Promise((resolve) => setTimeout(resolve, 500))
  t.equal(finished, 1)
})

test('refusals say refused with their reason, beside the existing warning', async (t) => {
  const { linesOf } = await appAtInfo(t)
  const now = String(Math.floor(Date.now() / 1000))
  const forged = await linesOf({ method: 'POST', url: `/wechat?signature=${'ab'.repeat(20)}&timestamp=${now}&nonce=Forged1`, headers: XML, payload: textPush() })
  t.equal(forged.status, 403)
  t.match(forged.lines.find((line) => line.msg === 'push refused'), { level: 40 }, 'the warning stays')
  t.match(accessLine(forged.lines), [{ level: 30, account: 'default', outcome: 'refused', reason: 'signature mismatch', status: 403 }])
  t.notOk('pushType' in (accessLine(forged.lines)[0] as Line), 'no push was read')

  const misaddressed = await linesOf({ method: 'POST', url: signedUrl({ token: TOKEN, extra: { openid: 'oSomeoneElse' } }), headers: XML, payload: textPush() })
  t.match(accessLine(misaddressed.lines), [{ outcome: 'refused', reason: 'push identity mismatch', pushType: 'text', status: 400 }])
  t.notMatch(misaddressed.raw, 'oSomeoneElse')

  const unknown = await linesOf({ method: 'POST', url: signedUrl({ token: TOKEN, path: '/wechat/nosuch' }), headers: XML, payload: textPush() })
  t.equal(unknown.lines.length, 1)
  t.match(unknown.lines, [{ path: '/wechat/nosuch', outcome: 'refused', reason: 'no such account', status: 404 }])
  t.notOk('account' in (unknown.lines[0] as Line))
})

test('a body that is not WeChat XML is one line with the parser\'s reason', async (t) => {
  const { linesOf } = await appAtInfo(t)
  const bad = await linesOf({ method: 'POST', url: signedUrl({ token: TOKEN }), headers: XML, payload: '<xml><Content>SecretBody</Contant></xml>' })
  t.equal(bad.status, 400)
  t.equal(bad.lines.length, 1)
  t.match(bad.lines, [{ msg: 'request', account: 'default', status: 400, reason: /not a WeChat XML document/ }])
  t.notMatch(bad.raw, 'SecretBody')
  const json = await linesOf({ method: 'POST', url: signedUrl({ token: TOKEN }), headers: { 'content-type': 'application/json' }, payload: '{}' })
  t.match(json.lines, [{ status: 415, reason: /Unsupported Media Type/ }])
})

test('a failing handler: its error line and an access line saying failed', async (t) => {
  const { linesOf } = await appAtInfo(t, { handlers: { text: () => { throw new Error('handler broke on purpose') } } })
  const sent = await linesOf({ method: 'POST', url: signedUrl({ token: TOKEN }), headers: XML, payload: textPush({ msgId: '5300' }) })
  t.equal(sent.status, 503)
  t.match(sent.lines.find((line) => line.level === 50), { msg: 'handler failed' })
  t.match(accessLine(sent.lines), [{ outcome: 'failed', pushType: 'text', status: 503 }])
})

test('the server check is one line saying verified', async (t) => {
  const { linesOf } = await appAtInfo(t)
  const ts = String(Math.floor(Date.now() / 1000))
  const check = await linesOf({ method: 'GET', url: `/wechat?signature=${platformSignature(TOKEN, ts, 'Check1')}&timestamp=${ts}&nonce=Check1&echostr=Echo123456` })
  t.equal(check.status, 200)
  t.match(check.lines, [{ method: 'GET', path: '/wechat', account: 'default', outcome: 'verified', status: 200 }])
  t.equal(check.lines.length, 1)
  t.notMatch(check.raw, 'Echo123456')
})

test('other routes get the same line without push fields', async (t) => {
  const { linesOf } = await appAtInfo(t)
  for (const [url, status] of [['/healthz', 200], ['/nowhere?openid=oLeaked&code=CODE42', 404]] as const) {
    const sent = await linesOf({ method: 'GET', url })
    t.equal(sent.status, status)
    t.equal(sent.lines.length, 1, url)
    const [line] = sent.lines
    t.match(line, { msg: 'request', method: 'GET', path: url.split('?')[0], status })
    for (const field of ['account', 'pushType', 'outcome', 'reason']) t.notOk(field in (line as Line), `${url}: no ${field}`)
    t.notMatch(sent.raw, /oLeaked|CODE42/)
  }
})

test('at warn, an answered push writes nothing', async (t) => {
  const { linesOf } = await appAtInfo(t, { config: { logLevel: 'warn' } })
  const sent = await linesOf({ method: 'POST', url: signedUrl({ token: TOKEN }), headers: XML, payload: textPush({ msgId: '5400' }) })
  t.equal(sent.status, 200)
  t.same(sent.lines, [])
})
