import { test } from 'tap'
import { envelopeSecrets, openEnvelope, sealReply, type EnvelopeQuery, type MessageMode, type OpenedEnvelope } from '../../../src/protocol/envelope.js'
import { parseWeChatXml, type XmlFields } from '../../../src/protocol/xml-codec.js'
import { textPush } from '../../fixtures/pushes.js'
import {
  AES_KEY_CURRENT, AES_KEY_PREVIOUS, AES_KEY_ZERO, fullPlaintext, padTo32, padValueFor, parseEncryptedReply, platformDecrypt,
  platformEncrypt, platformMsgSignature, sealBlocks
} from '../../helpers/wechat-crypto.js'

// openEnvelope/sealReply (docs/protocol.md §1-2, docs/security.md A 9-10, D 45-54). Every ciphertext here
// is made, and every sealed reply opened, by test/helpers/wechat-crypto.ts (plain node:crypto).

const TOKEN = 'testtoken123'
const APPID = 'wxtestappid000001'
const TIMESTAMP = '1714112445'
const NONCE = '415670741'

const secrets = envelopeSecrets(TOKEN, APPID, [AES_KEY_CURRENT])
const rotating = envelopeSecrets(TOKEN, APPID, [AES_KEY_CURRENT, AES_KEY_PREVIOUS])

const fieldsOf = (xml: string): XmlFields => {
  const parsed = parseWeChatXml(xml)
  if (!parsed.ok) throw new Error(`fixture is not WeChat XML: ${parsed.error}`)
  return parsed.fields
}

const INNER = textPush({ content: 'inner text', from: 'oInnerFan' })
const INNER_FIELDS = fieldsOf(INNER)

interface Signed {
  outer: XmlFields
  query: EnvelopeQuery
}

/** A safe-mode outer body and its query, msg_signature computed over the Encrypt. */
function signedEncrypt (encrypt: string, outer: XmlFields = { ToUserName: 'gh_0123456789ab', Encrypt: encrypt }): Signed {
  return {
    outer,
    query: { timestamp: TIMESTAMP, nonce: NONCE, encryptType: 'aes', msgSignature: platformMsgSignature(TOKEN, TIMESTAMP, NONCE, encrypt) }
  }
}

function sealed (inner: string, key = AES_KEY_CURRENT, appId = APPID): Signed {
  return signedEncrypt(platformEncrypt(key, appId, inner))
}

function refusal (result: OpenedEnvelope): string {
  return result.ok ? 'opened' : result.refusal
}

test('envelopeSecrets parses the configured keys in order and skips absent ones', async (t) => {
  t.equal(secrets.token, TOKEN)
  t.equal(secrets.appId, APPID)
  t.same(envelopeSecrets(TOKEN, APPID, [undefined, AES_KEY_CURRENT, undefined, AES_KEY_PREVIOUS]).keys.map((k) => k.toString('hex')),
    [Buffer.from(AES_KEY_CURRENT + '=', 'base64').toString('hex'), Buffer.from(AES_KEY_PREVIOUS + '=', 'base64').toString('hex')])
  t.same(envelopeSecrets(TOKEN, APPID, []).keys, [])
  t.same(envelopeSecrets(TOKEN, APPID, [AES_KEY_ZERO]).keys, [Buffer.alloc(32)], '43 x A is the all-zero key')
  t.throws(() => envelopeSecrets(TOKEN, APPID, ['A'.repeat(42)]), TypeError)
  t.throws(() => envelopeSecrets(TOKEN, APPID, ['A'.repeat(42) + '=']), TypeError)
})

test('the independent helper agrees with the official doc example (its own sanity check)', async (t) => {
  const docEncrypt = 'D7yzvUNAL930rd28wf21s4hvXhz0L6Uit/p2Di6C5DHyYGpEgdBRnKjBec34JwoQXicwaZC7fOVihW80F4VtsdvE//1vr7oAbqjDv8KenVp+ajKYpJnyQ4zMRhIC+a31fCVOMC03FfzV/QuC94kBP55a+Za3sJgvAn+ZbsNqZI5DkyuzkhQN8OBqCzFhizGmy0xpM0MEA4agpvE+RuNO1rhHTtuJB5yltw1FiYzecSXJ+y/D2r81VkRn2eYjh2ltsoyfbDR7Is6ookXIFxTfyeNyeHxMeT4KN5WpCDmSbTcUYrbBUlkGLJ9n/rU8YOywma6G7aTb7KZKOqCxgfoUlYEZPk4FUL/TK7ShriFDMVCLyjQJ15Ob++agDWtcxhfUfe6HIoIpRW8mKNBQiY/Jd1svvuskA1wLef1RTtzKfMpagSCX/laZINmdnX4zrF6kIaR9P4xQrWXbsTFHTYe0Mg=='
  const docMsg = '<xml><ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName>\n<FromUserName><![CDATA[o9AgO5Kd5ggOC-bXrbNODIiE3bGY]]></FromUserName>\n<CreateTime>1715943329</CreateTime>\n<MsgType><![CDATA[event]]></MsgType>\n<Event><![CDATA[debug_demo]]></Event>\n<debug_str><![CDATA[hello world]]></debug_str>\n</xml>'
  t.equal(platformMsgSignature('AAAAA', '1715943329', '1590219412', docEncrypt), '6c12a4205838198b8fa631b3220723bb07f1015c')
  t.same(platformDecrypt(AES_KEY_ZERO, docEncrypt), { message: docMsg, appId: 'wx134c8103faa5a59e', pad: 22 })
  const reply = platformDecrypt(AES_KEY_ZERO, 'hE8R6mGXHkJJjU72KxzKUd1GEkKJaEZq7vRL8XgK3o+00k8JGq6+pZJUIlTSyhsX+bxIBQ72g3GyvDdIZcr6+3HAZbSvPT9t/o11MI7d6WELwqrGd7jMnV0zv3Zc9Nq7')
  t.same(reply, { message: '<xml><demo_resp>[CDATA[good luck]]</demo_resp></xml>', appId: 'wx134c8103faa5a59e', pad: 6 })
  t.equal(padValueFor(docMsg, 'wx134c8103faa5a59e'), 22, '20 + 292 + 18 = 330 bytes: pad 22 (a value a /16 implementation rejects)')

  // And openEnvelope opens the doc's push with the doc's token, timestamp, nonce and msg_signature.
  const opened = openEnvelope({ ToUserName: 'gh_97417a04a28d', Encrypt: docEncrypt }, {
    timestamp: '1715943329', nonce: '1590219412', encryptType: 'aes', msgSignature: '6c12a4205838198b8fa631b3220723bb07f1015c'
  }, 'safe', envelopeSecrets('AAAAA', 'wx134c8103faa5a59e', [AES_KEY_ZERO]))
  t.same(opened, { ok: true, fields: fieldsOf(docMsg), sealed: true, keyIndex: 0, outerMismatch: false })
})

test('encrypt_type absent or raw: plaintext in plain and compatible mode, refused (403) in safe mode', async (t) => {
  const outer = fieldsOf(INNER)
  for (const encryptType of [undefined, 'raw']) {
    const query = { timestamp: TIMESTAMP, nonce: NONCE, encryptType, msgSignature: undefined }
    for (const mode of ['plain', 'compatible'] as const) {
      t.same(openEnvelope(outer, query, mode, secrets), { ok: true, fields: outer, sealed: false }, `${mode}, ${String(encryptType)}`)
    }
    const safe = openEnvelope(outer, query, 'safe', secrets)
    t.same(safe, { ok: false, refusal: 'forbidden', reason: 'safe mode accepts encrypted pushes only' }, `safe, ${String(encryptType)}`)
  }
  // A downgrade with a perfectly valid Encrypt still in the body is refused too: the mode decides.
  const { outer: withEncrypt } = sealed(INNER)
  t.equal(refusal(openEnvelope(withEncrypt, { timestamp: TIMESTAMP, nonce: NONCE, encryptType: undefined, msgSignature: undefined }, 'safe', secrets)), 'forbidden')
})

test('encrypt_type other than aes/raw, or repeated (array), is a bad request in every mode', async (t) => {
  const { outer, query } = sealed(INNER)
  for (const encryptType of ['AES', 'aes ', '', 'des', ['aes', 'aes'], ['aes'], 1, null]) {
    for (const mode of ['plain', 'compatible', 'safe'] as const) {
      t.same(openEnvelope(outer, { ...query, encryptType }, mode, secrets),
        { ok: false, refusal: 'bad-request', reason: 'encrypt_type must be aes or raw' }, `${mode}: ${JSON.stringify(encryptType)}`)
    }
  }
})

test('encrypt_type=aes in plain mode is a bad request', async (t) => {
  const { outer, query } = sealed(INNER)
  t.same(openEnvelope(outer, query, 'plain', secrets), { ok: false, refusal: 'bad-request', reason: 'plain mode does not accept encrypted pushes' })
})

test('safe and compatible mode open a signed Encrypt and report key 0', async (t) => {
  const { outer, query } = sealed(INNER)
  for (const mode of ['safe', 'compatible'] as const) {
    t.same(openEnvelope(outer, query, mode, secrets), { ok: true, fields: INNER_FIELDS, sealed: true, keyIndex: 0, outerMismatch: false }, mode)
  }
})

test('msg_signature missing or malformed: 400; well-formed but wrong: 403 (A 10)', async (t) => {
  const { outer, query } = sealed(INNER)
  const good = query.msgSignature as string
  for (const msgSignature of [undefined, '', good.slice(0, 39), good + '0', good.toUpperCase(), `${good.slice(0, 39)}g`, [good], [good, good], 42]) {
    t.same(openEnvelope(outer, { ...query, msgSignature }, 'safe', secrets),
      { ok: false, refusal: 'bad-request', reason: 'msg_signature missing or malformed' }, JSON.stringify(msgSignature))
  }
  const wrong = (msgSignature: string, mode: MessageMode = 'safe', q: EnvelopeQuery = query) =>
    openEnvelope(outer, { ...q, msgSignature }, mode, secrets)
  const mismatch = { ok: false, refusal: 'forbidden', reason: 'msg_signature mismatch' }
  t.same(wrong('0'.repeat(40)), mismatch, 'all zeros')
  t.same(wrong(good.slice(0, 39) + (good.endsWith('0') ? '1' : '0')), mismatch, 'last digit changed')
  t.same(wrong(good, 'compatible', { ...query, nonce: '415670742' }), mismatch, 'another nonce')
  t.same(wrong(good, 'safe', { ...query, timestamp: '1714112446' }), mismatch, 'another timestamp')
  // Computed over a different Encrypt (A 10): the signature of another valid ciphertext.
  const other = platformEncrypt(AES_KEY_CURRENT, APPID, INNER)
  t.same(wrong(platformMsgSignature(TOKEN, TIMESTAMP, NONCE, other)), mismatch, 'signature of another Encrypt')
  t.same(wrong(platformMsgSignature('othertoken', TIMESTAMP, NONCE, outer.Encrypt as string)), mismatch, 'another token')
  // The plain `signature` (token, timestamp, nonce only) does not cover the body and is no msg_signature.
  const { createHash } = await import('node:crypto')
  const plainSignature = createHash('sha1').update([TOKEN, TIMESTAMP, NONCE].sort().join('')).digest('hex')
  t.same(wrong(plainSignature), mismatch, 'the plain signature')
})

test('Encrypt missing, empty or not text: bad request', async (t) => {
  const { query } = sealed(INNER)
  const cases: Record<string, XmlFields> = {
    missing: { ToUserName: 'gh_0123456789ab' },
    empty: { ToUserName: 'gh_0123456789ab', Encrypt: '' },
    nested: { ToUserName: 'gh_0123456789ab', Encrypt: { a: 'b' } },
    list: { ToUserName: 'gh_0123456789ab', Encrypt: [{ a: 'b' }] }
  }
  for (const [name, outer] of Object.entries(cases)) {
    const emptySig = { ...query, msgSignature: platformMsgSignature(TOKEN, TIMESTAMP, NONCE, '') }
    t.same(openEnvelope(outer, emptySig, 'safe', secrets), { ok: false, refusal: 'bad-request', reason: 'encrypted push without Encrypt' }, name)
  }
  // Compatible mode: plaintext fields but no Encrypt, while the query says aes.
  t.equal(refusal(openEnvelope(fieldsOf(INNER), query, 'compatible', secrets)), 'bad-request')
})

test('ciphertexts that cannot be opened are bad requests naming the stage (D 45-50)', async (t) => {
  const msg = Buffer.from(INNER, 'utf8')
  const hostile: Record<string, [string, string]> = {
    '!!!': ['!!!', 'decode-base64'],
    base64url: [platformEncrypt(AES_KEY_CURRENT, APPID, INNER + '??>>').replace(/\+/g, '-').replace(/\//g, '_'), 'decode-base64'],
    'embedded newline': [(() => { const e = platformEncrypt(AES_KEY_CURRENT, APPID, INNER); return `${e.slice(0, 20)}\n${e.slice(20)}` })(), 'decode-base64'],
    '20 bytes': [Buffer.alloc(20, 7).toString('base64'), 'illegal-buffer'],
    '16 bytes': [sealBlocks(AES_KEY_CURRENT, Buffer.alloc(16, 16)), 'illegal-buffer'],
    'another key': [platformEncrypt(AES_KEY_PREVIOUS, APPID, INNER), 'bad-padding'],
    'pad byte 0': [sealBlocks(AES_KEY_CURRENT, Buffer.concat([fullPlaintext(msg, APPID), Buffer.alloc(64)]).subarray(0, 128)), 'bad-padding'],
    'pad byte 33': [sealBlocks(AES_KEY_CURRENT, Buffer.concat([padTo32(fullPlaintext(msg, APPID)), Buffer.alloc(32, 33)])), 'bad-padding'],
    'pad byte 255': [sealBlocks(AES_KEY_CURRENT, Buffer.concat([padTo32(fullPlaintext(msg, APPID)).subarray(0, -1), Buffer.from([255])])), 'bad-padding'],
    'inconsistent pad': [(() => {
      const blocks = Buffer.concat([fullPlaintext(Buffer.from('x'.repeat(64)), APPID).subarray(0, 96), Buffer.alloc(32, 32)])
      blocks[100] = 31
      return sealBlocks(AES_KEY_CURRENT, blocks)
    })(), 'bad-padding'],
    'msg_len 0xFFFFFFFF': [sealBlocks(AES_KEY_CURRENT, padTo32(fullPlaintext(msg, APPID, { lengthField: 0xFFFFFFFF }))), 'bad-length'],
    'msg_len 0x80000000': [sealBlocks(AES_KEY_CURRENT, padTo32(fullPlaintext(msg, APPID, { lengthField: 0x80000000 }))), 'bad-length'],
    'msg_len true+1000': [sealBlocks(AES_KEY_CURRENT, padTo32(fullPlaintext(msg, APPID, { lengthField: msg.length + 1000 }))), 'bad-length'],
    'msg_len 0': [sealBlocks(AES_KEY_CURRENT, padTo32(fullPlaintext(msg, APPID, { lengthField: 0 }))), 'bad-length'],
    'appid wxevil': [platformEncrypt(AES_KEY_CURRENT, 'wxevil', INNER), 'appid-mismatch'],
    'appid prefix': [platformEncrypt(AES_KEY_CURRENT, APPID.slice(0, -1), INNER), 'appid-mismatch'],
    'appid + 1 char': [platformEncrypt(AES_KEY_CURRENT, APPID + 'x', INNER), 'appid-mismatch'],
    'invalid UTF-8': [sealBlocks(AES_KEY_CURRENT, padTo32(fullPlaintext(Buffer.from([0x3c, 0xff, 0xfe, 0x3e]), APPID))), 'bad-utf8']
  }
  for (const [name, [encrypt, stage]] of Object.entries(hostile)) {
    const { outer, query } = signedEncrypt(encrypt)
    for (const mode of ['safe', 'compatible'] as const) {
      t.same(openEnvelope(outer, query, mode, secrets),
        { ok: false, refusal: 'bad-request', reason: `Encrypt cannot be opened (${stage})` }, `${mode}: ${name}`)
    }
  }
  // No key configured at all (a misconfigured secrets object) refuses instead of throwing.
  const { outer, query } = sealed(INNER)
  t.same(openEnvelope(outer, query, 'safe', envelopeSecrets(TOKEN, APPID, [])),
    { ok: false, refusal: 'bad-request', reason: 'Encrypt cannot be opened (decrypt-aes)' })
})

test('the decrypted body goes through the same XML rules as plaintext (D 51)', async (t) => {
  const inners: Record<string, string> = {
    malformed: '<xml><ToUserName>gh</ToUserName><Content>unclosed</xml>',
    'not xml': 'hello',
    'blank': ' \n ',
    doctype: '<!DOCTYPE xml [<!ENTITY e "boom">]><xml><ToUserName>gh</ToUserName><Content>&e;</Content></xml>',
    'entity declaration only': '<!ENTITY x SYSTEM "file:///etc/passwd"><xml><Content>x</Content></xml>',
    'duplicate tags': '<xml><ToUserName>gh</ToUserName><FromUserName>a</FromUserName><FromUserName>b</FromUserName></xml>',
    'two roots': '<xml><a>1</a></xml><xml><a>2</a></xml>',
    'another root': '<root><ToUserName>gh</ToUserName></root>'
  }
  for (const [name, inner] of Object.entries(inners)) {
    const { outer, query } = sealed(inner)
    const result = openEnvelope(outer, query, 'safe', secrets)
    t.equal(refusal(result), 'bad-request', name)
    t.match(result, { reason: /^decrypted body is not a WeChat XML document \((empty|declaration|malformed|shape)\)$/ }, name)
  }
  // A newline-separated inner document (as WeChat sends it) is fine and is not trimmed.
  const spaced = '<xml>\n<ToUserName><![CDATA[gh_0123456789ab]]></ToUserName>\n<Content><![CDATA[ a \n]]></Content>\n</xml>'
  const { outer, query } = sealed(spaced)
  t.match(openEnvelope(outer, query, 'safe', secrets), { ok: true, fields: { ToUserName: 'gh_0123456789ab', Content: ' a \n' } })
})

test('compatible mode: outer plaintext fields that differ from the inner set outerMismatch (D 52)', async (t) => {
  const encrypt = platformEncrypt(AES_KEY_CURRENT, APPID, INNER)
  const open = (outer: XmlFields) => openEnvelope({ ...outer, Encrypt: encrypt }, signedEncrypt(encrypt).query, 'compatible', secrets)

  t.same(open(INNER_FIELDS), { ok: true, fields: INNER_FIELDS, sealed: true, keyIndex: 0, outerMismatch: false }, 'identical outer')
  t.same(open({}), { ok: true, fields: INNER_FIELDS, sealed: true, keyIndex: 0, outerMismatch: false }, 'no outer fields (safe-mode shape)')
  for (const name of ['FromUserName', 'ToUserName', 'MsgType']) {
    const result = open({ ...INNER_FIELDS, [name]: 'forged' })
    t.same(result, { ok: true, fields: INNER_FIELDS, sealed: true, keyIndex: 0, outerMismatch: true }, `${name} differs: inner fields win`)
  }
  const forged = fieldsOf(textPush({ content: 'outer text', from: 'oAttacker' }))
  t.same(open(forged), { ok: true, fields: INNER_FIELDS, sealed: true, keyIndex: 0, outerMismatch: true }, 'FromUserName and Content differ')
  // Only identity fields are compared; a differing Content alone still yields the inner fields.
  t.match(open({ ...INNER_FIELDS, Content: 'outer text' }), { ok: true, fields: { Content: 'inner text' } })
  // The same outer check applies in safe mode: a ToUserName beside the Encrypt that disagrees.
  t.match(openEnvelope({ ToUserName: 'gh_other', Encrypt: encrypt }, signedEncrypt(encrypt).query, 'safe', secrets), { ok: true, outerMismatch: true })
})

test('rotation: the previous key opens with keyIndex 1, the current with 0; a removed key refuses (D 54)', async (t) => {
  const current = sealed(INNER, AES_KEY_CURRENT)
  const previous = sealed(INNER, AES_KEY_PREVIOUS)
  t.match(openEnvelope(current.outer, current.query, 'safe', rotating), { ok: true, keyIndex: 0, fields: INNER_FIELDS })
  t.match(openEnvelope(previous.outer, previous.query, 'safe', rotating), { ok: true, keyIndex: 1, fields: INNER_FIELDS })
  t.match(openEnvelope(previous.outer, previous.query, 'compatible', rotating), { ok: true, keyIndex: 1 })
  t.match(openEnvelope(previous.outer, previous.query, 'safe', secrets), { ok: false, refusal: 'bad-request' }, 'previous key removed')
  // Keys in the other order: the index follows the configured order.
  const swapped = envelopeSecrets(TOKEN, APPID, [AES_KEY_PREVIOUS, AES_KEY_CURRENT])
  t.match(openEnvelope(current.outer, current.query, 'safe', swapped), { ok: true, keyIndex: 1 })
  // Under an old key, an appid mismatch is reported over the current key's padding failure.
  const evilOld = signedEncrypt(platformEncrypt(AES_KEY_PREVIOUS, 'wxevil', INNER))
  t.match(openEnvelope(evilOld.outer, evilOld.query, 'safe', rotating), { ok: false, reason: 'Encrypt cannot be opened (appid-mismatch)' })
})

test('sealReply: an envelope the platform opens with the same key, signed, echoing nonce and time', async (t) => {
  const replyXml = textPush({ content: '回复 🌏 reply', from: 'gh_0123456789ab', to: 'oInnerFan' })
  for (const [keyIndex, key, otherKey] of [[0, AES_KEY_CURRENT, AES_KEY_PREVIOUS], [1, AES_KEY_PREVIOUS, AES_KEY_CURRENT]] as const) {
    const body = sealReply(replyXml, rotating, keyIndex, 'Nonce123', 1714112999)
    const parts = parseEncryptedReply(body)
    if (parts === undefined) {
      t.fail(`not an encrypted reply envelope: ${body}`)
      continue
    }
    t.equal(parts.nonce, 'Nonce123')
    t.equal(parts.timeStamp, '1714112999')
    t.equal(parts.msgSignature, platformMsgSignature(TOKEN, '1714112999', 'Nonce123', parts.encrypt), 'MsgSignature verifies')
    t.same(platformDecrypt(key, parts.encrypt), { message: replyXml, appId: APPID, pad: platformDecrypt(key, parts.encrypt).pad }, `key ${keyIndex} opens it`)
    t.equal(platformDecrypt(key, parts.encrypt).message, replyXml)
    t.throws(() => {
      const opened = platformDecrypt(otherKey, parts.encrypt)
      if (opened.appId !== APPID || opened.message !== replyXml) throw new Error('garbage')
    }, `the other key (${keyIndex === 0 ? 1 : 0}) does not`)
  }
  // Fresh random bytes: two seals of the same reply differ.
  t.not(sealReply(replyXml, secrets, 0, 'n1', 1), sealReply(replyXml, secrets, 0, 'n1', 1))
  // A nonce that could break out of the CDATA is never echoed.
  t.throws(() => sealReply(replyXml, secrets, 0, 'x]]><a>', 1714112999), TypeError)
})

test('sealReply round-trips through openEnvelope (reply shaped as a push)', async (t) => {
  const body = sealReply(INNER, secrets, 0, NONCE, Number(TIMESTAMP))
  const parts = parseEncryptedReply(body)
  t.ok(parts)
  const opened = openEnvelope({ Encrypt: parts?.encrypt ?? '' }, {
    timestamp: parts?.timeStamp ?? '', nonce: parts?.nonce ?? '', encryptType: 'aes', msgSignature: parts?.msgSignature
  }, 'safe', secrets)
  t.same(opened, { ok: true, fields: INNER_FIELDS, sealed: true, keyIndex: 0, outerMismatch: false })
})
