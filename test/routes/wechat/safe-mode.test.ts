import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { test, type Test } from 'tap'
import type { BotHandlers } from '../../../src/bot/bot.js'
import { untilReady } from '../../helpers/app-ready.js'
import { build } from '../../helpers/build.js'
import { deleteKeysWithPrefix, redisUrlOrSkip, uniqueKeyPrefix } from '../../helpers/redis.js'
import { signedUrl } from '../../helpers/wechat-request.js'
import {
  AES_KEY_CURRENT, AES_KEY_PREVIOUS, AES_KEY_ZERO, encryptedUrl, fullPlaintext, padTo32, padValueFor, parseEncryptedReply,
  platformDecrypt, platformEncrypt, platformMsgSignature, safeModeBody, sealBlocks
} from '../../helpers/wechat-crypto.js'
import { PUSHES, textPush } from '../../fixtures/pushes.js'

// A safe-mode server end to end (docs/protocol.md §1-2, §9; docs/security.md A 9-10, D 45-54). Requests are
// encrypted, and replies decrypted, by test/helpers/wechat-crypto.ts (plain node:crypto).

const TOKEN = 'testtoken123'
const APPID = 'wxtestappid000001'
const FAN = 'oFan00000000000000000000001'
const XML = { 'content-type': 'text/xml' }

let msgIds = 7_000_000_000_000_000
const nextMsgId = () => String(++msgIds)

async function safeServer (t: Test, config: { encodingAesKey?: string, encodingAesKeyPrevious?: string } = {}, logLines?: string[]) {
  return build(t, {
    config: { messageMode: 'safe', encodingAesKey: AES_KEY_CURRENT, ...config },
    ...(logLines === undefined ? {} : { logLines })
  })
}

interface SentPush {
  res: LightMyRequestResponse
  nonce: string
  timestamp: string
}

/** Posts `encrypt` in a safe-mode body with a valid signature and msg_signature. */
async function postEncrypt (app: FastifyInstance, encrypt: string, options: { msgSignature?: string | null, body?: string } = {}): Promise<SentPush> {
  const { url, nonce, timestamp } = encryptedUrl({ token: TOKEN, encrypt, ...('msgSignature' in options ? { msgSignature: options.msgSignature } : {}) })
  const res = await app.inject({ method: 'POST', url, headers: XML, payload: options.body ?? safeModeBody(encrypt) })
  return { res, nonce, timestamp }
}

/** Posts `innerXml` as WeChat would in safe mode, sealed with `key`. */
async function postSealed (app: FastifyInstance, innerXml: string, key = AES_KEY_CURRENT): Promise<SentPush> {
  return postEncrypt(app, platformEncrypt(key, APPID, innerXml))
}

/** The reply XML inside an encrypted reply, checked field by field; throws on any other shape. */
function openReply (t: Test, sent: SentPush, key = AES_KEY_CURRENT): { xml: string, pad: number } {
  const { res, nonce } = sent
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^application\/xml/)
  const parts = parseEncryptedReply(res.body)
  if (parts === undefined) throw new Error(`not an encrypted reply envelope: ${res.body}`)
  t.equal(parts.nonce, nonce, 'Nonce is the request nonce')
  t.ok(Math.abs(Number(parts.timeStamp) - Date.now() / 1000) <= 5, 'TimeStamp is the current time in seconds')
  t.equal(parts.msgSignature, platformMsgSignature(TOKEN, parts.timeStamp, parts.nonce, parts.encrypt), 'MsgSignature verifies')
  const opened = platformDecrypt(key, parts.encrypt)
  t.equal(opened.appId, APPID, 'the AppID trailer is ours')
  return { xml: opened.message, pad: opened.pad }
}

const echoReply = (content: string, to = FAN) => new RegExp(
  `^<xml><ToUserName><!\\[CDATA\\[${to}\\]\\]></ToUserName><FromUserName><!\\[CDATA\\[gh_0123456789ab\\]\\]></FromUserName>` +
  `<CreateTime>\\d{10}</CreateTime><MsgType><!\\[CDATA\\[text\\]\\]></MsgType><Content><!\\[CDATA\\[${content}\\]\\]></Content></xml>$`)

test('an encrypted text push gets an encrypted echo reply: signed, current, same nonce, same fan', async (t) => {
  const app = await safeServer(t)
  const sent = await postSealed(app, textPush({ content: 'hello safe mode', msgId: nextMsgId() }))
  const { xml } = openReply(t, sent)
  t.match(xml, echoReply('hello safe mode'))
  t.notMatch(sent.res.body, /hello safe mode/, 'nothing of the reply travels in clear')

  // The same push on a plain-mode server gets the same reply XML, unencrypted.
  const plain = await build(t)
  const res = await plain.inject({ method: 'POST', url: signedUrl({ token: TOKEN }), headers: XML, payload: textPush({ content: 'hello safe mode' }) })
  t.equal(xml.replace(/<CreateTime>\d+</, '<CreateTime>0<'), res.body.replace(/<CreateTime>\d+</, '<CreateTime>0<'))
})

test('the official all-zero key (43 x A) works end to end', async (t) => {
  const app = await safeServer(t, { encodingAesKey: AES_KEY_ZERO })
  const { xml } = openReply(t, await postSealed(app, textPush({ content: 'zero key', msgId: nextMsgId() }), AES_KEY_ZERO), AES_KEY_ZERO)
  t.match(xml, echoReply('zero key'))
})

test('a push the bot does not answer gets a plain `success`, not an envelope', async (t) => {
  const app = await safeServer(t)
  for (const push of [PUSHES.unsubscribe, PUSHES.TEMPLATESENDJOBFINISH]) {
    const { res } = await postSealed(app, push)
    t.equal(res.statusCode, 200)
    t.equal(res.body, 'success')
    t.match(res.headers['content-type'], /^text\/plain/)
  }
})

test('every pad value 1..32, inbound and in the reply, works (a /16 padding breaks 17..32)', async (t) => {
  const app = await safeServer(t)
  const inboundPads = new Set<number>()
  const replyPads = new Set<number>()
  for (let extra = 0; extra < 32; extra++) {
    const content = `pad-${'x'.repeat(extra)}`
    const push = textPush({ content, msgId: nextMsgId() })
    inboundPads.add(padValueFor(push, APPID))
    const { xml, pad } = openReply(t, await postSealed(app, push))
    t.match(xml, echoReply(content))
    replyPads.add(pad)
  }
  t.same([...inboundPads].sort((a, b) => a - b), Array.from({ length: 32 }, (_, i) => i + 1), 'requests covered every pad value')
  t.same([...replyPads].sort((a, b) => a - b), Array.from({ length: 32 }, (_, i) => i + 1), 'replies covered every pad value')
})

test('Chinese and emoji content: msg_len counts UTF-8 bytes both ways', async (t) => {
  const app = await safeServer(t)
  for (const content of ['你好，世界', '🌏👋🏽 表情 emoji', '中'.repeat(700), '👨‍👩‍👧‍👦']) {
    const { xml } = openReply(t, await postSealed(app, textPush({ content, msgId: nextMsgId() })))
    t.match(xml, echoReply(content))
  }
})

test('a plaintext push to a safe-mode server is refused: 403 (downgrade, A 9)', async (t) => {
  const app = await safeServer(t)
  const plain = await app.inject({ method: 'POST', url: signedUrl({ token: TOKEN }), headers: XML, payload: textPush() })
  t.equal(plain.statusCode, 403)
  t.notMatch(plain.body, /this is a test|hello/)
  const raw = await app.inject({ method: 'POST', url: signedUrl({ token: TOKEN, extra: { encrypt_type: 'raw' } }), headers: XML, payload: textPush() })
  t.equal(raw.statusCode, 403)
  // Even with a valid sealed Encrypt left in the body: the server's mode decides, not the request.
  const encrypt = platformEncrypt(AES_KEY_CURRENT, APPID, textPush())
  const noType = await app.inject({ method: 'POST', url: signedUrl({ token: TOKEN }), headers: XML, payload: safeModeBody(encrypt) })
  t.equal(noType.statusCode, 403)
  // Any other encrypt_type is malformed.
  for (const type of ['AES', 'des']) {
    const other = await app.inject({ method: 'POST', url: signedUrl({ token: TOKEN, extra: { encrypt_type: type } }), headers: XML, payload: textPush() })
    t.equal(other.statusCode, 400, type)
  }
  const { url } = encryptedUrl({ token: TOKEN, encrypt })
  const twice = await app.inject({ method: 'POST', url: `${url}&encrypt_type=aes`, headers: XML, payload: safeModeBody(encrypt) })
  t.equal(twice.statusCode, 400, 'encrypt_type repeated')
})

test('encrypt_type=aes with no <Encrypt> in the body: 400', async (t) => {
  const app = await safeServer(t)
  const { res } = await postEncrypt(app, 'unused', { body: textPush() })
  t.equal(res.statusCode, 400)
  const { res: empty } = await postEncrypt(app, '', { body: safeModeBody('') })
  t.equal(empty.statusCode, 400)
})

test('msg_signature: wrong or over another Encrypt 403, missing or malformed 400 (A 10)', async (t) => {
  const app = await safeServer(t)
  const encrypt = platformEncrypt(AES_KEY_CURRENT, APPID, textPush({ msgId: nextMsgId() }))
  const other = platformEncrypt(AES_KEY_CURRENT, APPID, textPush({ msgId: nextMsgId() }))
  t.equal((await postEncrypt(app, encrypt, { msgSignature: '0'.repeat(40) })).res.statusCode, 403, 'wrong')
  // The signature of `other` with a body carrying `encrypt`.
  const { url } = encryptedUrl({ token: TOKEN, encrypt: other })
  t.equal((await app.inject({ method: 'POST', url, headers: XML, payload: safeModeBody(encrypt) })).statusCode, 403, 'over another Encrypt')
  t.equal((await postEncrypt(app, encrypt, { msgSignature: null })).res.statusCode, 400, 'missing')
  t.equal((await postEncrypt(app, encrypt, { msgSignature: 'abc' })).res.statusCode, 400, 'malformed')
  t.equal((await postEncrypt(app, encrypt, { msgSignature: platformMsgSignature(TOKEN, '1', '2', encrypt).toUpperCase() })).res.statusCode, 400, 'uppercase')
  // A valid msg_signature does not excuse a wrong query signature.
  const good = encryptedUrl({ token: TOKEN, encrypt })
  const badSignature = good.url.replace(/signature=[0-9a-f]{40}&timestamp/, `signature=${'1'.repeat(40)}&timestamp`)
  t.not(badSignature, good.url)
  t.equal((await app.inject({ method: 'POST', url: badSignature, headers: XML, payload: safeModeBody(encrypt) })).statusCode, 403, 'query signature wrong')
  // And the untouched request is answered.
  t.equal((await app.inject({ method: 'POST', url: good.url, headers: XML, payload: safeModeBody(encrypt) })).statusCode, 200)
})

test('hostile ciphertexts with valid msg_signatures: 400 each, never 500, server stays up (D 45-50)', async (t) => {
  const logLines: string[] = []
  const app = await safeServer(t, {}, logLines)
  const msg = Buffer.from(textPush(), 'utf8')
  const good = platformEncrypt(AES_KEY_CURRENT, APPID, textPush({ msgId: nextMsgId() }))
  const inconsistent = padTo32(fullPlaintext(Buffer.from('y'.repeat(76)), APPID))
  inconsistent[inconsistent.length - 5] = 7
  const hostile: Record<string, string> = {
    '!!!': '!!!',
    base64url: good.replace(/\+/g, '-').replace(/\//g, '_') + (/[+/]/.test(good) ? '' : '-_'),
    'embedded newlines': `${good.slice(0, 30)}\n${good.slice(30, 60)}\n${good.slice(60)}`,
    'length 20 bytes': Buffer.alloc(20, 3).toString('base64'),
    'length 16 bytes': sealBlocks(AES_KEY_CURRENT, Buffer.alloc(16, 16)),
    'length 47 bytes': Buffer.alloc(47, 9).toString('base64'),
    'another EncodingAESKey': platformEncrypt(AES_KEY_PREVIOUS, APPID, textPush()),
    'pad byte 0': sealBlocks(AES_KEY_CURRENT, Buffer.concat([fullPlaintext(msg, APPID), Buffer.alloc(64)]).subarray(0, 64 * Math.ceil((msg.length + 37) / 64))),
    'pad byte 33': sealBlocks(AES_KEY_CURRENT, Buffer.concat([padTo32(fullPlaintext(msg, APPID)), Buffer.alloc(64, 33)])),
    'pad byte 255': sealBlocks(AES_KEY_CURRENT, Buffer.concat([padTo32(fullPlaintext(msg, APPID)), Buffer.alloc(32, 255)])),
    'inconsistent pad bytes': sealBlocks(AES_KEY_CURRENT, inconsistent),
    'msg_len 0xFFFFFFFF': sealBlocks(AES_KEY_CURRENT, padTo32(fullPlaintext(msg, APPID, { lengthField: 0xFFFFFFFF }))),
    'msg_len 0x80000000': sealBlocks(AES_KEY_CURRENT, padTo32(fullPlaintext(msg, APPID, { lengthField: 0x80000000 }))),
    'msg_len true+1000': sealBlocks(AES_KEY_CURRENT, padTo32(fullPlaintext(msg, APPID, { lengthField: msg.length + 1000 }))),
    'msg_len 0': sealBlocks(AES_KEY_CURRENT, padTo32(fullPlaintext(msg, APPID, { lengthField: 0 }))),
    'msg_len true-1': sealBlocks(AES_KEY_CURRENT, padTo32(fullPlaintext(msg, APPID, { lengthField: msg.length - 1 }))),
    'appid wxevil (D 50)': platformEncrypt(AES_KEY_CURRENT, 'wxevil', textPush()),
    'no appid': platformEncrypt(AES_KEY_CURRENT, '', textPush())
  }
  for (const [name, encrypt] of Object.entries(hostile)) {
    const { res } = await postEncrypt(app, encrypt)
    t.equal(res.statusCode, 400, name)
    t.notMatch(res.body, /this is a test|Error|at /, `${name}: no plaintext or stack in the answer`)
  }
  // CRLF: XML normalises line ends to LF, so a msg_signature over the CRLF text no longer matches
  // the parsed value (403), and one over the LF text reaches the base64 check (400).
  const crlf = `${good.slice(0, 30)}\r\n${good.slice(30)}`
  t.equal((await postEncrypt(app, crlf)).res.statusCode, 403, 'CRLF, signed over CRLF')
  const lfSigned = encryptedUrl({ token: TOKEN, encrypt: crlf.replace('\r\n', '\n') })
  t.equal((await app.inject({ method: 'POST', url: lfSigned.url, headers: XML, payload: safeModeBody(crlf) })).statusCode, 400, 'CRLF, signed over LF')
  t.notOk(logLines.some((line) => /"level":50/.test(line)), 'no error-level log line')
  t.notOk(logLines.some((line) => line.includes(AES_KEY_CURRENT)), 'the AES key is never logged')
  // Still up and answering.
  t.match(openReply(t, await postEncrypt(app, good)).xml, echoReply('hello'))
})

test('decrypted inner XML with a DOCTYPE, duplicate tags or malformed: 400 (D 51)', async (t) => {
  const app = await safeServer(t)
  const inners: Record<string, string> = {
    doctype: `<!DOCTYPE xml [<!ENTITY lol "lol">]>${textPush({ content: '&lol;' })}`,
    'external entity': `<!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${textPush({ content: '&xxe;' })}`,
    'duplicate FromUserName': textPush().replace('<CreateTime>', '<FromUserName><![CDATA[oOther]]></FromUserName><CreateTime>'),
    'duplicate Content': textPush().replace('<MsgId>', '<Content><![CDATA[again]]></Content><MsgId>'),
    malformed: textPush().replace('</Content>', ''),
    'not xml': 'just text',
    'json': '{"ToUserName":"gh_0123456789ab","MsgType":"text"}',
    'missing fields': '<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName></xml>'
  }
  for (const [name, inner] of Object.entries(inners)) {
    const { res } = await postSealed(app, inner)
    t.equal(res.statusCode, 400, name)
  }
})

test('a nonce that could break out of the reply CDATA is refused before anything is echoed (D 53)', async (t) => {
  const app = await safeServer(t)
  for (const nonce of ['x]]><a>', 'abc def', 'n'.repeat(33), '']) {
    const encrypt = platformEncrypt(AES_KEY_CURRENT, APPID, textPush({ msgId: nextMsgId() }))
    const { url } = encryptedUrl({ token: TOKEN, encrypt, nonce })
    const res = await app.inject({ method: 'POST', url, headers: XML, payload: safeModeBody(encrypt) })
    t.equal(res.statusCode, 400, JSON.stringify(nonce))
    t.notMatch(res.body, /<a>|Encrypt/)
  }
})

test('rotation: current and previous keys both answered, each reply sealed with the key that opened it (D 54)', async (t) => {
  const app = await safeServer(t, { encodingAesKey: AES_KEY_CURRENT, encodingAesKeyPrevious: AES_KEY_PREVIOUS })
  for (const [key, other] of [[AES_KEY_CURRENT, AES_KEY_PREVIOUS], [AES_KEY_PREVIOUS, AES_KEY_CURRENT]] as const) {
    const content = `under ${key.slice(0, 6)}`
    const sent = await postSealed(app, textPush({ content, msgId: nextMsgId() }), key)
    t.match(openReply(t, sent, key).xml, echoReply(content), 'opened with the key that sealed the push')
    const parts = parseEncryptedReply(sent.res.body)
    t.throws(() => {
      const opened = platformDecrypt(other, parts?.encrypt ?? '')
      if (opened.appId !== APPID) throw new Error('garbage')
    }, 'the other key cannot open it')
  }
  // After the rotation ends (previous key removed), old-key pushes are refused.
  const rotated = await safeServer(t, { encodingAesKey: AES_KEY_CURRENT })
  t.equal((await postSealed(rotated, textPush({ msgId: nextMsgId() }), AES_KEY_PREVIOUS)).res.statusCode, 400)
  t.equal((await postSealed(rotated, textPush({ msgId: nextMsgId() }), AES_KEY_CURRENT)).res.statusCode, 200)
})

test('a retried push (same MsgId) is answered again, sealed for the retry', async (t) => {
  const app = await safeServer(t, { encodingAesKey: AES_KEY_CURRENT, encodingAesKeyPrevious: AES_KEY_PREVIOUS })
  const push = textPush({ content: 'retried', msgId: nextMsgId() })
  const first = await postSealed(app, push)
  const retry = await postSealed(app, push)
  t.match(openReply(t, first).xml, echoReply('retried'))
  t.match(openReply(t, retry).xml, echoReply('retried'), 'the duplicate answer, with the retry\'s own nonce')
  t.not(first.nonce, retry.nonce)
})

test('GET /wechat (server check) still answers the plain echostr in safe mode', async (t) => {
  const app = await safeServer(t)
  const res = await app.inject({ method: 'GET', url: signedUrl({ token: TOKEN, extra: { echostr: '4375120948345356249' } }) })
  t.equal(res.statusCode, 200)
  t.equal(res.body, '4375120948345356249')
  const unsigned = await app.inject({ method: 'GET', url: '/wechat?echostr=1' })
  t.equal(unsigned.statusCode, 400)
})

test('the safe-mode URL\'s openid must be the decrypted FromUserName', async (t) => {
  const app = await safeServer(t)
  for (const [openid, status] of [[FAN, 200], ['oSomeoneElse', 400]] as const) {
    const encrypt = platformEncrypt(AES_KEY_CURRENT, APPID, textPush({ msgId: nextMsgId() }))
    const { url } = encryptedUrl({ token: TOKEN, encrypt, extra: { openid } })
    const res = await app.inject({ method: 'POST', url, headers: XML, payload: safeModeBody(encrypt) })
    t.equal(res.statusCode, status, openid)
  }
})

test('a handler that throws: 503 in plain text (no envelope), and WeChat\'s retry runs it again', async (t) => {
  let calls = 0
  const app = await build(t, {
    config: { messageMode: 'safe', encodingAesKey: AES_KEY_CURRENT },
    handlers: {
      text: (m) => {
        calls++
        if (calls === 1) throw new Error('boom')
        return { type: 'text', content: `second try: ${m.Content}` }
      }
    }
  })
  const push = textPush({ content: 'flaky', msgId: nextMsgId() })
  const { res } = await postSealed(app, push)
  t.equal(res.statusCode, 503)
  t.equal(res.body, 'handler failed')
  t.match(openReply(t, await postSealed(app, push)).xml, echoReply('second try: flaky'))
  t.equal(calls, 2)
})

test('a retry arriving while the first delivery still runs: 503 in plain text, then the first is answered sealed', async (t) => {
  const url = await redisUrlOrSkip(t)
  if (url === undefined) return
  const redisKeyPrefix = uniqueKeyPrefix('safe-busy')
  t.teardown(() => deleteKeysWithPrefix(url, redisKeyPrefix))
  let release: () => void = () => {}
  const gate = new Promise<void>((resolve) => { release = resolve })
  let running: () => void = () => {}
  // The retry goes out once the first delivery's handler runs: on a busy machine it could otherwise claim first.
  const started = new Promise<void>((resolve) => { running = resolve })
  const handlers: BotHandlers = { text: async (m) => { running(); await gate; return { type: 'text', content: m.Content } } }
  const shared = { messageMode: 'safe' as const, encodingAesKey: AES_KEY_CURRENT, redisUrl: url, redisKeyPrefix }
  // Two instances: the retry's gives up waiting at 0.5 s, long before the first one's 4.5 s deadline,
  // so the first is still in time however slow the machine (one instance would race its own deadline).
  const first = await build(t, { config: { ...shared, replyDeadlineMs: 4500 }, handlers })
  const second = await build(t, { config: { ...shared, replyDeadlineMs: 500 }, handlers })
  await untilReady(first)
  await untilReady(second)
  const push = textPush({ content: 'slow', msgId: nextMsgId() })
  const answered = postSealed(first, push)
  await started
  const retry = await postSealed(second, push)
  t.equal(retry.res.statusCode, 503)
  t.equal(retry.res.body, 'still processing')
  t.match(retry.res.headers['content-type'], /^text\/plain/)
  release()
  t.match(openReply(t, await answered).xml, echoReply('slow'))
})

test('with WECHAT_ACCOUNT_ID set, the decrypted ToUserName must be that account', async (t) => {
  const app = await build(t, { config: { messageMode: 'safe', encodingAesKey: AES_KEY_CURRENT, accountId: 'gh_0123456789ab' } })
  t.equal((await postSealed(app, textPush({ msgId: nextMsgId() }))).res.statusCode, 200)
  // The outer ToUserName is right, the encrypted one names another account.
  t.equal((await postSealed(app, textPush({ msgId: nextMsgId(), to: 'gh_another0000' }))).res.statusCode, 400)
})
