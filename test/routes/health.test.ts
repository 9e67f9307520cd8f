import { test } from 'tap'
import { createMemoryStore } from '../../src/store/memory-store.js'
import { createRedisStore } from '../../src/store/redis-store.js'
import { PUSHES } from '../fixtures/pushes.js'
import { untilReady } from '../helpers/app-ready.js'
import { build } from '../helpers/build.js'
import { startPrivateRedis } from '../helpers/private-redis.js'
import { deleteKeysWithPrefix, redisUrlOrSkip, uniqueKeyPrefix } from '../helpers/redis.js'
import { signedUrl } from '../helpers/wechat-request.js'

test('memory store (default): /healthz and /readyz answer 200', async (t) => {
  const app = await build(t)
  const health = await app.inject({ method: 'GET', url: '/healthz' })
  t.equal(health.statusCode, 200)
  t.same(health.json(), { status: 'ok' })
  const ready = await app.inject({ method: 'GET', url: '/readyz' })
  t.equal(ready.statusCode, 200)
  t.same(ready.json(), { status: 'ready' })
})

test('an injected store: ready, and used by the app', async (t) => {
  const store = createMemoryStore()
  const app = await build(t, { store })
  t.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200)
  const push = await app.inject({ method: 'POST', url: signedUrl({ token: 'testtoken123' }), headers: { 'content-type': 'text/xml' }, payload: PUSHES.text })
  t.equal(push.statusCode, 200)
  t.equal(await store.get('wxtestappid000001:push:oFan00000000000000000000001:m:1234567890123456'), `done:${push.body}`,
    'the dedup state went to the injected store')
})

test('Redis up: /readyz turns 200 once connected', async (t) => {
  const url = await redisUrlOrSkip(t)
  if (url === undefined) return
  const redisKeyPrefix = uniqueKeyPrefix('health')
  t.teardown(() => deleteKeysWithPrefix(url, redisKeyPrefix))
  const app = await build(t, { config: { redisUrl: url, redisKeyPrefix } })
  await untilReady(app)
  const ready = await app.inject({ method: 'GET', url: '/readyz' })
  t.same({ status: ready.statusCode, body: ready.json() }, { status: 200, body: { status: 'ready' } })
  t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200)
})

test('a store whose ping fails: /healthz 200, /readyz 503; ready again when Redis is back', async (t) => {
  const redis = await startPrivateRedis(t)
  const app = await build(t, { config: { redisUrl: redis.url, redisKeyPrefix: 'wemp-test:health:' } })
  await untilReady(app)
  redis.freeze()
  t.teardown(() => redis.thaw())
  const hung = await app.inject({ method: 'GET', url: '/readyz' })
  t.equal(hung.statusCode, 503, 'a ping that times out')
  t.same(hung.json(), { status: 'store unavailable' })
  redis.thaw()
  await untilReady(app)
  t.pass('ready again after the store answers')
  await redis.kill()
  t.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 503, 'a ping refused')
  t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200, 'liveness does not depend on the store')
})

// Port 1: nothing listens there. A port freePort() released could be taken by another test's Redis meanwhile.
const CLOSED_PORT_URL = 'redis://127.0.0.1:1'

test('Redis on a closed port: /readyz 503 from the first probe', async (t) => {
  const app = await build(t, { config: { redisUrl: CLOSED_PORT_URL } })
  t.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 503)
  t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200)
})

test('an injected store that has a ping: /readyz should use it', async (t) => {
  const store = createRedisStore({ url: CLOSED_PORT_URL, keyPrefix: 'wemp-test:inj:' })
  t.teardown(() => store.close())
  t.equal(await store.ping(), false, 'the injected store is down')
  const app = await build(t, { store })
  t.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 503,
    'readiness reflects the injected store')
})
