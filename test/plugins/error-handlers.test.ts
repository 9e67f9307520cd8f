import Fastify from 'fastify'
import { test } from 'tap'
import { accessLog, withoutFastifyRequestLines } from '../../plugins/access-log.js'
import { errorHandlers } from '../../plugins/error-handlers.js'
import { loggerOptions } from '../../src/logging.js'

async function appWith (t: { teardown(fn: () => unknown): void }, lines: string[]) {
  // The service's logger options and its access line in place of Fastify's request lines.
  const app = Fastify({ logger: loggerOptions('info', { write: (line: string) => { lines.push(line) } }), ...withoutFastifyRequestLines() })
  await app.register(accessLog)
  await app.register(errorHandlers)
  app.get('/boom', async () => { throw new Error('secret detail from deep inside') })
  app.get('/teapot', async () => { throw Object.assign(new Error('short and stout'), { statusCode: 418 }) })
  app.get('/weird', async () => { throw Object.assign(new Error('odd status'), { statusCode: 302 }) })
  t.teardown(() => app.close())
  return app
}

test('a thrown error is a plain 500 without its message or stack, logged at error', async (t) => {
  const lines: string[] = []
  const app = await appWith(t, lines)
  const res = await app.inject({ method: 'GET', url: '/boom' })
  t.equal(res.statusCode, 500)
  t.equal(res.body, 'internal error')
  t.match(lines.join(''), /"level":50.*request failed/)
})

test('a 4xx error keeps its status and message, which the access line gives as the reason', async (t) => {
  const lines: string[] = []
  const app = await appWith(t, lines)
  const res = await app.inject({ method: 'GET', url: '/teapot' })
  t.equal(res.statusCode, 418)
  t.equal(res.body, 'short and stout')
  t.match(lines.map((line) => JSON.parse(line) as unknown), [{ msg: 'request', path: '/teapot', status: 418, reason: 'short and stout' }])
})

test('an error with a non-error status becomes a 500', async (t) => {
  const app = await appWith(t, [])
  t.equal((await app.inject({ method: 'GET', url: '/weird' })).statusCode, 500)
})

test('unknown routes: a fixed 404 that repeats nothing and logs the path only', async (t) => {
  const lines: string[] = []
  const app = await appWith(t, lines)
  const res = await app.inject({ method: 'GET', url: '/wx?signature=0123456789abcdef0123456789abcdef01234567&openid=oSECRET' })
  t.equal(res.statusCode, 404)
  t.equal(res.body, 'not found')
  const log = lines.join('')
  t.equal(lines.length, 1, 'the access line alone')
  t.match(log, /"path":"\/wx"/)
  t.notMatch(log, /signature=|oSECRET/)
})
