import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { test } from 'tap'
import { textPush } from '../fixtures/pushes.js'
import { startScriptNodeArgs, startServer } from '../helpers/server-process.js'
import { signedUrl } from '../helpers/wechat-request.js'

const RECORDER = fileURLToPath(new URL('./fixtures/record-imports.js', import.meta.url))
const TOKEN = 'e2etoken123'

// What a push never needs costs resident memory from the start: these packages load only when
// their feature is configured (a language model for an account, REDIS_URL).
const NOT_AT_START = ['openai', 'bullmq', 'ioredis']

test('a server started as npm start runs it, without a model or Redis never loads openai, bullmq or ioredis, even answering a push', async (t) => {
  const record = join(mkdtempSync(join(tmpdir(), 'wemp-imports-')), 'imports.txt')
  const server = await startServer({
    RECORD_IMPORTS_TO: record, WECHAT_TOKEN: TOKEN, WECHAT_APPID: 'wxe2e', WECHAT_APPSECRET: 'e2e-secret', SESSION_SECRET: 'e2e-session-secret-0123456789-abcdef'
  }, [...startScriptNodeArgs(), '--import', RECORDER])
  t.teardown(async () => { server.child.kill('SIGTERM'); await server.exited })
  const res = await fetch(`${server.url}${signedUrl({ token: TOKEN })}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: textPush({ content: 'hello' }) })
  t.equal(res.status, 200)
  t.match(await res.text(), /hello/, 'the push was answered')
  const loaded = readFileSync(record, 'utf8').split('\n')
  t.ok(loaded.some((url) => url.includes('/node_modules/fastify/')), 'the recorder sees packages (fastify)')
  for (const name of NOT_AT_START) {
    t.notOk(loaded.some((url) => url.includes(`/node_modules/${name}/`)), `${name} is not loaded`)
  }
})
