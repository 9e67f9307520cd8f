import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyInstance } from 'fastify'
import { test } from 'tap'
import { textPush } from '../fixtures/pushes.js'
import { build } from '../helpers/build.js'
import { webApp } from '../helpers/web-app.js'
import { signedUrl } from '../helpers/wechat-request.js'

const CHECK = { wechatCallbackIpCheck: true }
const TOKEN = 'testtoken123'

async function push (app: FastifyInstance, headers: Record<string, string> = {}, payload = textPush(), path = '/wechat'): Promise<{ status: number, body: string }> {
  const res = await app.inject({ method: 'POST', url: signedUrl({ token: TOKEN, path }), headers: { 'content-type': 'text/xml', ...headers }, payload })
  return { status: res.statusCode, body: res.body }
}

test('check on: loopback (on the platform\'s list) passes; a foreign address gets 403 before its body is read', async (t) => {
  const logLines: string[] = []
  const { app, platform } = await webApp(t, { config: CHECK, logLines })
  t.equal(platform.state.callCount('/cgi-bin/getcallbackip'), 1, 'the list was fetched when the server got ready')
  t.ok(logLines.some((line) => line.includes('WeChat callback addresses fetched') && line.includes('"accepted":2')))

  t.equal((await push(app)).status, 200, 'from 127.0.0.1: answered')
  const foreign = { 'x-forwarded-for': '203.0.113.5' }
  t.same(await push(app, foreign), { status: 403, body: 'not one of WeChat\'s callback addresses' })
  t.equal((await push(app, foreign, textPush(), '/wechat/default')).status, 403, 'the per-account URL too')
  const verify = await app.inject({ method: 'GET', url: signedUrl({ token: TOKEN, extra: { echostr: 'e1' } }), headers: foreign })
  t.equal(verify.statusCode, 403, 'and the server check')

  const oversized = `<xml>${'x'.repeat(70 * 1024)}</xml>`
  t.equal((await push(app, {}, oversized)).status, 413, 'from a listed address, this body is read and refused as too large')
  t.equal((await push(app, foreign, oversized)).status, 403, 'from a foreign one, it is refused before it is read')
  const unsigned = await app.inject({ method: 'POST', url: '/wechat', headers: { 'content-type': 'text/xml', ...foreign }, payload: 'not xml' })
  t.same({ status: unsigned.statusCode, body: unsigned.body }, { status: 403, body: 'not one of WeChat\'s callback addresses' }, 'before the signature too')
  t.ok(logLines.some((line) => line.includes('push refused') && line.includes('callback addresses')), 'each refusal is logged')
})

test('a changed list is picked up at the next refresh', async (t) => {
  const { app, platform } = await webApp(t, { config: { ...CHECK, wechatCallbackIpRefreshSeconds: 1 } })
  t.equal((await push(app)).status, 200)
  platform.state.callbackIps.splice(0, Infinity, '203.0.113.0/24')
  const deadline = Date.now() + 3000
  while ((await push(app)).status !== 403 && Date.now() < deadline) await sleep(100)
  t.equal((await push(app)).status, 403, 'loopback is off the new list')
  t.equal((await push(app, { 'x-forwarded-for': '203.0.113.77' })).status, 200, 'an address in the new range passes')
  t.ok(platform.state.callCount('/cgi-bin/getcallbackip') >= 2)
})

test('a failed refresh keeps the last good list', async (t) => {
  const logLines: string[] = []
  const { app, platform } = await webApp(t, { config: { ...CHECK, wechatCallbackIpRefreshSeconds: 1 }, logLines })
  platform.state.failNext('/cgi-bin/getcallbackip', { errcode: -1, errmsg: 'system error' })
  const deadline = Date.now() + 3000
  while (!logLines.some((line) => line.includes('not refreshed; the last list stays')) && Date.now() < deadline) await sleep(100)
  t.ok(logLines.some((line) => line.includes('not refreshed; the last list stays')), 'the failure is logged')
  t.equal((await push(app)).status, 200, 'loopback still passes')
  t.equal((await push(app, { 'x-forwarded-for': '203.0.113.5' })).status, 403, 'a foreign address is still refused')
})

test('no list yet (WeChat\'s API unreachable at start): pushes are admitted on their signature alone, and that is logged', async (t) => {
  const logLines: string[] = []
  // The test config's apiBase is a closed port.
  const app = await build(t, { config: CHECK, logLines })
  t.ok(logLines.some((line) => line.includes('pushes are admitted on their signature alone')))
  t.equal((await push(app, { 'x-forwarded-for': '203.0.113.5' })).status, 200, 'a signed push is answered')
  t.equal((await app.inject({ method: 'POST', url: '/wechat', headers: { 'content-type': 'text/xml', 'x-forwarded-for': '203.0.113.5' }, payload: textPush() })).statusCode, 400,
    'the signature check still stands')
})

test('check off (the default): no list is fetched, any address may push', async (t) => {
  const { app, platform } = await webApp(t)
  t.equal((await push(app, { 'x-forwarded-for': '203.0.113.5' })).status, 200)
  t.equal(platform.state.callCount('/cgi-bin/getcallbackip'), 0)
})
