import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { test, type Test } from 'tap'
import { textPush } from '../fixtures/pushes.js'
import { startServer, type RunningServer } from '../helpers/server-process.js'
import { signedUrl } from '../helpers/wechat-request.js'

// The built server logs asynchronously: what it has not written yet when it stops must still come out.

const TOKEN = 'e2elogtoken42'
const ENV = { WECHAT_TOKEN: TOKEN, WECHAT_APPID: 'wxe2elog0000000001', WECHAT_APPSECRET: 'e2e-secret', SESSION_SECRET: 'e2e-session-secret-0123456789-abcdef' }
/** Enough access lines (about 250 bytes each) to fill the 64 KiB of a pipe nobody reads, several times. */
const PUSHES = 800

async function sendPushes (server: RunningServer, count: number, prefix: string): Promise<number[]> {
  const statuses: number[] = []
  let next = 0
  const worker = async () => {
    while (next < count) {
      const i = next++
      const res = await fetch(`${server.url}${signedUrl({ token: TOKEN })}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: textPush({ content: `${prefix}${i}`, msgId: `${prefix === 'a' ? 61 : 62}${String(i).padStart(14, '0')}` }) })
      await res.text()
      statuses.push(res.status)
    }
  }
  await Promise.all(Array.from({ length: 20 }, worker))
  return statuses
}

function accessLines (output: string): Array<Record<string, unknown>> {
  return output.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.msg === 'request' && line.path === '/wechat')
}

/** Stops reading the server's stdout, so that its lines pile up in its memory until `resume`. */
function holdOutput (t: Test, server: RunningServer): () => void {
  const stdout = server.child.stdout!
  stdout.pause()
  t.teardown(() => { stdout.resume() })
  return () => { stdout.resume() }
}

test('SIGTERM after a burst of pushes, with stdout unread: every access line comes out before the exit', async (t) => {
  const server = await startServer(ENV)
  t.teardown(() => { server.child.kill('SIGKILL') })
  const resume = holdOutput(t, server)
  const statuses = await sendPushes(server, PUSHES, 'a')
  t.same([...new Set(statuses)], [200], 'answered while nobody read the log: logging does not hold a push up')
  server.child.kill('SIGTERM')
  await sleep(300)
  resume()
  t.equal(await server.exited, 0)
  const lines = accessLines(server.output())
  t.equal(lines.length, PUSHES, 'one access line per push, none lost')
  t.equal(lines.filter((line) => line.outcome === 'answered').length, PUSHES)
  t.match(server.output(), /"signal":"SIGTERM"/)
})

test('a crash (an error thrown outside any request by a bug in the bot) still writes every line', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'wemp-crash-bot-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  // The bug: a timer the bot starts throws, after the push was answered. Nothing can catch it.
  writeFileSync(join(dir, 'bot.mjs'), `export default () => async (push) => {
    if (push.message.Content === 'crash') setTimeout(() => { throw new Error('a bug in the bot') }, 50)
    return { type: 'text', content: push.message.Content }
  }`)
  const server = await startServer({ ...ENV, WEMP_BOT: join(dir, 'bot.mjs') })
  t.teardown(() => { server.child.kill('SIGKILL') })
  const resume = holdOutput(t, server)
  const statuses = await sendPushes(server, PUSHES, 'b')
  t.same([...new Set(statuses)], [200])
  const crash = await fetch(`${server.url}${signedUrl({ token: TOKEN })}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: textPush({ content: 'crash', msgId: '6399999999999999' }) })
  t.equal(crash.status, 200, 'the push itself was answered')
  await sleep(300)
  resume()
  t.equal(await server.exited, 1, 'an uncaught error ends the process with 1')
  const lines = accessLines(server.output())
  t.equal(lines.length, PUSHES + 1, 'every access line, the crashing push\'s included')
  t.match(server.output(), /"msg":"closing: requests in flight finish, new ones get 503"/)
  t.match(server.output(), /a bug in the bot/, 'the error is logged')
})
