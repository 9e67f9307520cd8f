import type { FastifyInstance } from 'fastify'
import { test, type Test } from 'tap'
import { build } from '../../helpers/build.js'
import { signedUrl } from '../../helpers/wechat-request.js'
import {
  AES_KEY_CURRENT, compatibleModeBody, encryptedUrl, parseEncryptedReply, platformDecrypt, platformEncrypt,
  platformMsgSignature, safeModeBody
} from '../../helpers/wechat-crypto.js'
import { textPush } from '../../fixtures/pushes.js'

// Compatible mode (兼容模式, docs/protocol.md §2, §9.4; docs/security.md D 52): the body carries the plaintext
// fields and <Encrypt>; only the encrypted copy is covered by msg_signature, so only it counts.

const TOKEN = 'testtoken123'
const APPID = 'wxtestappid000001'
const FAN = 'oFan00000000000000000000001'
const XML = { 'content-type': 'text/xml' }

let msgIds = 8_000_000_000_000_000
const nextMsgId = () => String(++msgIds)

async function compatibleServer (t: Test, logLines?: string[]): Promise<FastifyInstance> {
  return build(t, { config: { messageMode: 'compatible', encodingAesKey: AES_KEY_CURRENT }, ...(logLines === undefined ? {} : { logLines }) })
}

const echoReply = (content: string, to = FAN) => new RegExp(
  `^<xml><ToUserName><!\\[CDATA\\[${to}\\]\\]></ToUserName><FromUserName><!\\[CDATA\\[gh_0123456789ab\\]\\]></FromUserName>` +
  `<CreateTime>\\d{10}</CreateTime><MsgType><!\\[CDATA\\[text\\]\\]></MsgType><Content><!\\[CDATA\\[${content}\\]\\]></Content></xml>$`)

/** Posts a compatible-mode body: `outerXml`'s plaintext fields plus `innerXml` encrypted. */
async function postCompatible (app: FastifyInstance, outerXml: string, innerXml: string) {
  const encrypt = platformEncrypt(AES_KEY_CURRENT, APPID, innerXml)
  const { url, nonce } = encryptedUrl({ token: TOKEN, encrypt })
  const res = await app.inject({ method: 'POST', url, headers: XML, payload: compatibleModeBody(outerXml, encrypt) })
  return { res, nonce }
}

function openReply (t: Test, res: { statusCode: number, body: string }, nonce: string): string {
  t.equal(res.statusCode, 200)
  const parts = parseEncryptedReply(res.body)
  if (parts === undefined) throw new Error(`not an encrypted reply envelope: ${res.body}`)
  t.equal(parts.nonce, nonce)
  t.equal(parts.msgSignature, platformMsgSignature(TOKEN, parts.timeStamp, parts.nonce, parts.encrypt), 'MsgSignature verifies')
  const opened = platformDecrypt(AES_KEY_CURRENT, parts.encrypt)
  t.equal(opened.appId, APPID)
  return opened.message
}

test('a plaintext push (no encrypt_type, or raw) is answered in plaintext', async (t) => {
  const app = await compatibleServer(t)
  for (const extra of [{}, { encrypt_type: 'raw' }] as Array<Record<string, string>>) {
    const res = await app.inject({ method: 'POST', url: signedUrl({ token: TOKEN, extra }), headers: XML, payload: textPush({ content: 'plain in compat', msgId: nextMsgId() }) })
    t.equal(res.statusCode, 200)
    t.match(res.body, echoReply('plain in compat'), JSON.stringify(extra))
  }
})

test('an encrypted push (plaintext fields + Encrypt) is answered encrypted', async (t) => {
  const app = await compatibleServer(t)
  const push = textPush({ content: '兼容模式 ok', msgId: nextMsgId() })
  const { res, nonce } = await postCompatible(app, push, push)
  t.match(openReply(t, res, nonce), echoReply('兼容模式 ok'))
  t.notMatch(res.body, /兼容模式/, 'the reply does not travel in clear')
  // A safe-mode shaped body (Encrypt only) is fine in compatible mode too.
  const encrypt = platformEncrypt(AES_KEY_CURRENT, APPID, textPush({ content: 'safe shape', msgId: nextMsgId() }))
  const sent = encryptedUrl({ token: TOKEN, encrypt })
  const safeShape = await app.inject({ method: 'POST', url: sent.url, headers: XML, payload: safeModeBody(encrypt) })
  t.match(openReply(t, safeShape, sent.nonce), echoReply('safe shape'))
})

test('encrypted compatible push with a wrong msg_signature is refused (403), even though the plaintext is fine', async (t) => {
  const app = await compatibleServer(t)
  const push = textPush({ msgId: nextMsgId() })
  const encrypt = platformEncrypt(AES_KEY_CURRENT, APPID, push)
  const { url } = encryptedUrl({ token: TOKEN, encrypt, msgSignature: 'f'.repeat(40) })
  const res = await app.inject({ method: 'POST', url, headers: XML, payload: compatibleModeBody(push, encrypt) })
  t.equal(res.statusCode, 403)
  // encrypt_type=aes but only plaintext fields: 400.
  const noEncrypt = encryptedUrl({ token: TOKEN, encrypt })
  t.equal((await app.inject({ method: 'POST', url: noEncrypt.url, headers: XML, payload: push })).statusCode, 400)
})

test('outer plaintext FromUserName/Content differing from the encrypted ones: the reply uses the inner values only, with a warning (D 52)', async (t) => {
  const logLines: string[] = []
  const app = await compatibleServer(t, logLines)
  const msgId = nextMsgId()
  const inner = textPush({ content: 'inner words', from: 'oInnerFan000000000000000001', msgId })
  const outer = textPush({ content: 'outer words', from: 'oAttacker00000000000000000001', msgId })
  const { res, nonce } = await postCompatible(app, outer, inner)
  const reply = openReply(t, res, nonce)
  t.match(reply, echoReply('inner words', 'oInnerFan000000000000000001'))
  t.notMatch(reply, /outer words|oAttacker/)
  const warnings = logLines.filter((line) => line.includes('compatible-mode plaintext fields differ'))
  t.equal(warnings.length, 1, 'one warning')
  t.match(warnings[0], /"level":40/)
  t.notMatch(warnings[0], /outer words|inner words|oAttacker|oInnerFan/, 'the warning carries no message content or openid')

  // Content alone differing: the inner Content is still the one answered.
  const sameFan = textPush({ content: 'outer only', msgId: nextMsgId() })
  const realInner = sameFan.replace('outer only', 'real inner')
  const second = await postCompatible(app, sameFan, realInner)
  t.match(openReply(t, second.res, second.nonce), echoReply('real inner'))

  // Identical outer and inner: no warning.
  const before = logLines.filter((line) => line.includes('plaintext fields differ')).length
  const same = textPush({ content: 'same', msgId: nextMsgId() })
  const third = await postCompatible(app, same, same)
  t.match(openReply(t, third.res, third.nonce), echoReply('same'))
  t.equal(logLines.filter((line) => line.includes('plaintext fields differ')).length, before, 'no new warning')
})

test('outer plaintext Content differing alone is also logged as a mismatch (D 52)', async (t) => {
  const logLines: string[] = []
  const app = await compatibleServer(t, logLines)
  const outer = textPush({ content: 'forged outer', msgId: nextMsgId() })
  const inner = outer.replace('forged outer', 'genuine inner')
  const { res, nonce } = await postCompatible(app, outer, inner)
  t.match(openReply(t, res, nonce), echoReply('genuine inner'))
  t.equal(logLines.filter((line) => line.includes('compatible-mode plaintext fields differ')).length, 1)
})

test('a plain-mode server given encrypt_type=aes answers 400', async (t) => {
  const app = await build(t)
  const push = textPush({ msgId: nextMsgId() })
  const encrypt = platformEncrypt(AES_KEY_CURRENT, APPID, push)
  for (const payload of [compatibleModeBody(push, encrypt), safeModeBody(encrypt)]) {
    const { url } = encryptedUrl({ token: TOKEN, encrypt })
    const res = await app.inject({ method: 'POST', url, headers: XML, payload })
    t.equal(res.statusCode, 400)
    t.notMatch(res.body, /<xml>/)
  }
})

test('a plaintext push in compatible mode is still guarded against a signature reused with another body', async (t) => {
  const app = await compatibleServer(t)
  const url = signedUrl({ token: TOKEN })
  const first = await app.inject({ method: 'POST', url, headers: XML, payload: textPush({ content: 'first', msgId: nextMsgId() }) })
  t.equal(first.statusCode, 200)
  const swapped = await app.inject({ method: 'POST', url, headers: XML, payload: textPush({ content: 'swapped', msgId: nextMsgId() }) })
  t.equal(swapped.statusCode, 403)
  t.notMatch(swapped.body, /swapped/)
})
