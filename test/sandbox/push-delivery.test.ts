import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { test } from 'tap'
import { parseEncodingAesKey } from '../../src/protocol/aes-key.js'
import { SERVICE_UNAVAILABLE, runExchange } from '../../sandbox/exchange.js'
import { deliverPush, MAX_RETRIES, REPLY_DEADLINE_MS } from '../../sandbox/push-delivery.js'
import { sealPush } from '../../sandbox/push-envelope.js'
import { buildEncryptedReply } from '../../src/protocol/message-crypto.js'

const secrets = { token: 'testtoken123', appId: 'wxtestappid000001', aesKey: parseEncodingAesKey('abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG') }
const FAN = 'oFan0001'
const ACCOUNT = 'gh_account1'

interface Seen { query: URLSearchParams, body: string }

/** A WeChat server under our control: `answer(n)` decides what delivery n gets. */
async function fakeServer (t: { teardown(fn: () => unknown): void }, answer: (n: number, res: ServerResponse) => void): Promise<{ url: string, seen: Seen[] }> {
  const seen: Seen[] = []
  const server = createServer((req: IncomingMessage, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => { body += String(chunk) })
    req.on('end', () => {
      seen.push({ query: new URL(req.url ?? '/', 'http://x').searchParams, body })
      answer(seen.length, res)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { server.closeAllConnections(); server.close() })
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/wechat`, seen }
}

const echoXml = `<xml><ToUserName><![CDATA[${FAN}]]></ToUserName><FromUserName><![CDATA[${ACCOUNT}]]></FromUserName><CreateTime>1714112445</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[收到]]></Content></xml>`

test("WeChat's timing: 5 s per delivery, three retries", async (t) => {
  t.equal(REPLY_DEADLINE_MS, 5000)
  t.equal(MAX_RETRIES, 3)
})

test('a server slower than the deadline: three retries with the same MsgId, then the error', async (t) => {
  const server = await fakeServer(t, (_n, res) => { setTimeout(() => res.end('too late'), 1200).unref() })
  const exchange = await runExchange({ serverUrl: server.url, mode: 'plain', secrets, accountId: ACCOUNT, openid: FAN, action: { kind: 'text', content: '北京天气' }, timeoutMs: 300 })
  t.equal(exchange.attempts.length, 4, 'the first delivery and three retries')
  t.same(exchange.attempts.map((a) => a.result), ['timeout', 'timeout', 'timeout', 'timeout'])
  for (const attempt of exchange.attempts) t.ok(attempt.durationMs >= 250 && attempt.durationMs < 1200, `cut off at the deadline (${attempt.durationMs} ms)`)
  t.match(exchange.result, { kind: 'unavailable', reason: /4 次投递都失败.*0\.3 秒内没有回复/ })
  t.equal(SERVICE_UNAVAILABLE, '该公众号暂时无法提供服务，请稍后再试')
  t.equal(server.seen.length, 4)
  const msgIds = server.seen.map((s) => /<MsgId>(\d+)<\/MsgId>/.exec(s.body)?.[1])
  t.equal(new Set(msgIds).size, 1, 'every retry carries the same MsgId')
  t.match(msgIds[0], /^\d{19}$/)
  t.equal(new Set(server.seen.map((s) => s.body)).size, 1, 'and the same body')
  t.equal(new Set(server.seen.map((s) => s.query.get('nonce'))).size, 4, 'each delivery is signed afresh')
})

test('a server that answers the second delivery in time', async (t) => {
  const server = await fakeServer(t, (n, res) => {
    if (n === 1) setTimeout(() => res.end(echoXml), 1200).unref()
    else res.end(echoXml)
  })
  const exchange = await runExchange({ serverUrl: server.url, mode: 'plain', secrets, accountId: ACCOUNT, openid: FAN, action: { kind: 'text', content: 'hi' }, timeoutMs: 300 })
  t.same(exchange.attempts.map((a) => a.result), ['timeout', 'answered'])
  t.same(exchange.result, { kind: 'reply', reply: { type: 'text', content: '收到' } })
})

test('headers in time but a body that stalls is still late', async (t) => {
  const server = await fakeServer(t, (_n, res) => {
    res.writeHead(200, { 'content-type': 'text/xml' })
    res.write('<xml>')
  })
  const delivery = await deliverPush({ serverUrl: server.url, seal: () => sealPush({ xml: '<xml/>', openid: FAN, accountId: ACCOUNT, mode: 'plain', secrets }), timeoutMs: 300, retries: 0 })
  t.same(delivery.attempts.map((a) => a.result), ['timeout'])
  t.equal(delivery.answer, undefined)
})

test('a server URL with its own query keeps it; the answer and its content type are kept', async (t) => {
  const server = await fakeServer(t, (_n, res) => { res.writeHead(200, { 'content-type': 'text/plain' }); res.end('success') })
  const delivery = await deliverPush({ serverUrl: `${server.url}?tenant=a`, seal: () => sealPush({ xml: '<xml/>', openid: FAN, accountId: ACCOUNT, mode: 'plain', secrets }) })
  t.equal(server.seen[0]?.query.get('tenant'), 'a')
  t.ok(server.seen[0]?.query.get('signature'))
  t.same(delivery.answer, { status: 200, body: 'success', contentType: 'text/plain' })
  const bare = await fakeServer(t, (_n, res) => { res.removeHeader('content-type'); res.end() })
  const silent = await deliverPush({ serverUrl: bare.url, seal: () => sealPush({ xml: '<xml/>', openid: FAN, accountId: ACCOUNT, mode: 'plain', secrets }) })
  t.equal(silent.answer?.body, '')
})

test('nobody listening: every delivery fails fast with the cause', async (t) => {
  // A port that was free a moment ago: listen, note it, close.
  const probe = createServer()
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
  const freePort = (probe.address() as AddressInfo).port
  await new Promise((resolve) => probe.close(resolve))
  const exchange = await runExchange({ serverUrl: `http://127.0.0.1:${freePort}/wechat`, mode: 'plain', secrets, accountId: ACCOUNT, openid: FAN, action: { kind: 'image' } })
  t.same(exchange.attempts.map((a) => a.result), ['network-error', 'network-error', 'network-error', 'network-error'])
  t.match(exchange.attempts[0]?.error, /fetch failed: .*ECONNREFUSED/)
  t.equal(exchange.result.kind, 'unavailable')
})

test('replies the envelope check refuses, with and without a signature to show', async (t) => {
  const forged = buildEncryptedReply({ key: secrets.aesKey, appId: secrets.appId, token: 'nottheToken', replyXml: echoXml, timestamp: '1714112445', nonce: '1' })
  const server = await fakeServer(t, (n, res) => res.end(n === 1 ? echoXml : forged))
  const send = () => runExchange({ serverUrl: server.url, mode: 'safe', secrets, accountId: ACCOUNT, openid: FAN, action: { kind: 'text', content: 'hi' } })
  const plaintext = await send()
  t.match(plaintext.result, { kind: 'invalid', reason: /安全模式下回复必须加密/ })
  t.equal(plaintext.signature, undefined)
  const badSignature = await send()
  t.match(badSignature, { result: { kind: 'invalid', reason: /MsgSignature 校验失败/ }, signature: { ok: false } })
  t.equal(badSignature.decryptedReply, undefined)
})
