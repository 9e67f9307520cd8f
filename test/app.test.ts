import Fastify from 'fastify'
import { test } from 'tap'
import { wemp } from '../app.js'
import { withoutFastifyRequestLines } from '../plugins/access-log.js'
import type { BotServices } from '../src/accounts/account.js'
import { createBot } from '../src/bot/bot.js'
import { pathOnly } from '../src/logging.js'
import { reply } from '../src/protocol/reply.js'
import { serverOptions } from '../src/server-options.js'
import { build } from './helpers/build.js'
import { testConfig } from './helpers/config.js'
import { signedUrl } from './helpers/wechat-request.js'
import { textPush } from './fixtures/pushes.js'

test('a signed text push is echoed back as a passive reply', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'POST', url: signedUrl({ token: 'testtoken123' }), headers: { 'content-type': 'text/xml' }, payload: textPush({ content: '你好' }) })
  t.equal(res.statusCode, 200)
  t.match(res.body, /<Content><!\[CDATA\[你好\]\]><\/Content>/)
  t.match(res.body, /<ToUserName><!\[CDATA\[oFan00000000000000000000001\]\]><\/ToUserName>/)
})

test('/healthz answers 200', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'GET', url: '/healthz' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { status: 'ok' })
})

test('a whole bot can be built from the app\'s services', async (t) => {
  let seen: BotServices | undefined
  const app = await build(t, {
    bot: (services) => {
      seen = services
      return createBot({ text: async (m) => reply.text(`bot: ${m.Content}`) })
    }
  })
  const res = await app.inject({ method: 'POST', url: signedUrl({ token: 'testtoken123' }), headers: { 'content-type': 'text/xml' }, payload: textPush({ content: 'hi' }) })
  t.match(res.body, /<Content><!\[CDATA\[bot: hi\]\]><\/Content>/)
  await seen!.store.set('probe', 'v', 1000)
  t.equal(await seen!.store.get('probe'), 'v', 'the bot gets a working store')
  t.type(seen!.wechatApi.sendCustomText, 'function', 'and the WeChat API client')
  t.equal(seen?.account.appId, 'wxtestappid000001')
  t.equal(seen?.account.id, 'default')
})

test('without a config the plugin reads the environment, as the server does', async (t) => {
  const app = Fastify()
  t.teardown(() => app.close())
  await app.register(wemp, { accounts: [{ id: 'shop', token: 'shoptoken01', appId: 'wxshop0000000001', appSecret: 's', messageMode: 'plain', welcomeText: 'hi' }] })
  const res = await app.inject({ method: 'GET', url: signedUrl({ token: 'shoptoken01', path: '/wechat/shop', extra: { echostr: 'e1' } }) })
  t.same([res.statusCode, res.body], [200, 'e1'])
  t.same(app.wemp.accounts.list().map((account) => account.id), ['shop'])
})

test('the pages\' view engine stays in the web routes: its per-request hook does not run on a push', async (t) => {
  const config = testConfig()
  const fastify = Fastify({ ...serverOptions(config), ...withoutFastifyRequestLines() })
  t.teardown(() => fastify.close())
  // @fastify/view sets reply.locals to {} on every request of the scope it is registered in.
  const locals = new Map<string, unknown>()
  fastify.addHook('onResponse', (request, reply, done) => {
    locals.set(pathOnly(request.url), (reply as unknown as { locals?: unknown }).locals)
    done()
  })
  await fastify.register(wemp, { config })
  const page = await fastify.inject({ method: 'GET', url: '/oauth/signed-out' })
  t.equal(page.statusCode, 200, 'a page renders')
  t.same(locals.get('/oauth/signed-out'), {}, 'and its request passed the view hook')
  const push = await fastify.inject({ method: 'POST', url: signedUrl({ token: 'testtoken123' }), headers: { 'content-type': 'text/xml' }, payload: textPush({ content: 'hi' }) })
  t.equal(push.statusCode, 200)
  t.equal(locals.get('/wechat'), undefined, 'a push did not')
})
