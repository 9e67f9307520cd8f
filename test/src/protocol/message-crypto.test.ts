import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'
import { test } from 'tap'
import {
  buildEncryptedReply, decryptMessage, encryptMessage, isValidNonce, messageSignature
} from '../../../src/protocol/message-crypto.js'
import { parseEncodingAesKey } from '../../../src/protocol/aes-key.js'

// ---- an independent reference: plain node:crypto, own padding, nothing imported from src ----
const rawKey = (encodingAesKey: string): Buffer => Buffer.from(encodingAesKey + '=', 'base64')
const sha1Sorted = (values: string[]): string => createHash('sha1').update([...values].sort().join('')).digest('hex')

function sealBlocks (key: Buffer, blocks: Buffer): string {
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16))
  cipher.setAutoPadding(false)
  return Buffer.concat([cipher.update(blocks), cipher.final()]).toString('base64')
}
function openBlocks (key: Buffer, encrypt: string): Buffer {
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16))
  decipher.setAutoPadding(false)
  return Buffer.concat([decipher.update(Buffer.from(encrypt, 'base64')), decipher.final()])
}
/** random16 ‖ uint32be(lengthField) ‖ msg ‖ appid, the length field free to lie. */
function layout (msg: Buffer, appId: string, lengthField = msg.length, random = Buffer.alloc(16, 0x72)): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(lengthField)
  return Buffer.concat([random, length, msg, Buffer.from(appId)])
}
const padBy = (data: Buffer, padBytes: number[]): Buffer => Buffer.concat([data, Buffer.from(padBytes)])
function padProperly (data: Buffer): Buffer {
  const n = 32 - (data.length % 32)
  return padBy(data, new Array<number>(n).fill(n))
}

const SAMPLE_AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'
const KEY = parseEncodingAesKey(SAMPLE_AES_KEY)
const APPID = 'wxb11529c136998cb6'

// ---- official vectors ----

// Official doc "消息推送" worked example (Token AAAAA, key 43 x A, appid wx134c8103faa5a59e), from
// https://developers.weixin.qq.com/doc/oplatform/Third-party_Platforms/2.0/api/Before_Develop/message_push.html
const DOC_KEY = 'A'.repeat(43)
const DOC_APPID = 'wx134c8103faa5a59e'
const DOC_ENCRYPT = 'D7yzvUNAL930rd28wf21s4hvXhz0L6Uit/p2Di6C5DHyYGpEgdBRnKjBec34JwoQXicwaZC7fOVihW80F4VtsdvE//1vr7oAbqjDv8KenVp+ajKYpJnyQ4zMRhIC+a31fCVOMC03FfzV/QuC94kBP55a+Za3sJgvAn+ZbsNqZI5DkyuzkhQN8OBqCzFhizGmy0xpM0MEA4agpvE+RuNO1rhHTtuJB5yltw1FiYzecSXJ+y/D2r81VkRn2eYjh2ltsoyfbDR7Is6ookXIFxTfyeNyeHxMeT4KN5WpCDmSbTcUYrbBUlkGLJ9n/rU8YOywma6G7aTb7KZKOqCxgfoUlYEZPk4FUL/TK7ShriFDMVCLyjQJ15Ob++agDWtcxhfUfe6HIoIpRW8mKNBQiY/Jd1svvuskA1wLef1RTtzKfMpagSCX/laZINmdnX4zrF6kIaR9P4xQrWXbsTFHTYe0Mg=='
const DOC_MSG = '<xml><ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName>\n<FromUserName><![CDATA[o9AgO5Kd5ggOC-bXrbNODIiE3bGY]]></FromUserName>\n<CreateTime>1715943329</CreateTime>\n<MsgType><![CDATA[event]]></MsgType>\n<Event><![CDATA[debug_demo]]></Event>\n<debug_str><![CDATA[hello world]]></debug_str>\n</xml>'
const DOC_REPLY_ENCRYPT = 'hE8R6mGXHkJJjU72KxzKUd1GEkKJaEZq7vRL8XgK3o+00k8JGq6+pZJUIlTSyhsX+bxIBQ72g3GyvDdIZcr6+3HAZbSvPT9t/o11MI7d6WELwqrGd7jMnV0zv3Zc9Nq7'

test('official doc example: decrypts byte for byte, re-encrypts to the same Encrypt, signs', async (t) => {
  const key = parseEncodingAesKey(DOC_KEY)
  t.equal(messageSignature('AAAAA', '1715943329', '1590219412', DOC_ENCRYPT), '6c12a4205838198b8fa631b3220723bb07f1015c')
  const result = decryptMessage({ keys: [key], appId: DOC_APPID, encrypt: DOC_ENCRYPT })
  t.same(result, { ok: true, xml: DOC_MSG, keyIndex: 0 })
  t.equal(Buffer.byteLength(DOC_MSG), 292, 'msg_len 292 as the doc states')
  const random16 = Buffer.from('1205899eaf019bbd')
  t.equal(encryptMessage({ key, appId: DOC_APPID, plaintext: DOC_MSG, random16 }), DOC_ENCRYPT)
})

test('official doc example reply: Encrypt, MsgSignature and the envelope', async (t) => {
  const key = parseEncodingAesKey(DOC_KEY)
  const replyXml = '<xml><demo_resp>[CDATA[good luck]]</demo_resp></xml>'
  const random16 = Buffer.from('999951349e8ee746')
  t.equal(encryptMessage({ key, appId: DOC_APPID, plaintext: replyXml, random16 }), DOC_REPLY_ENCRYPT)
  const reply = buildEncryptedReply({
    key, appId: DOC_APPID, token: 'AAAAA', replyXml, timestamp: '1713424427', nonce: '415670741', random16
  })
  // The doc's final reply, with the line breaks between its elements removed (our envelope is one line).
  t.equal(reply, '<xml>' +
    `<Encrypt><![CDATA[${DOC_REPLY_ENCRYPT}]]></Encrypt>` +
    '<MsgSignature><![CDATA[03e0812039325c2712ef5f0f980fd14c70d6e307]]></MsgSignature>' +
    '<TimeStamp>1713424427</TimeStamp><Nonce><![CDATA[415670741]]></Nonce></xml>')
})

// Official Java sample test WXBizMsgCryptTest.testAesEncrypt/testAesEncrypt2 (fixed randomStr), copy at
// Wyl015/wuyiling work-test/src/main/resources/Utils/aes/WXBizMsgCryptTest.java
test('official Java sample vectors encrypt and decrypt byte for byte', async (t) => {
  const random16 = Buffer.from('aaaabbbbccccdddd')
  const vectors = [
    ['我是中文abcd123', 'jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg=='],
    ['<xml><ToUserName><![CDATA[oia2Tj我是中文jewbmiOUlr6X-1crbLOvLw]]></ToUserName><FromUserName><![CDATA[gh_7f083739789a]]></FromUserName><CreateTime>1407743423</CreateTime><MsgType><![CDATA[video]]></MsgType><Video><MediaId><![CDATA[eYJ1MbwPRJtOvIEabaxHs7TX2D-HV71s79GUxqdUkjm6Gs2Ed1KF3ulAOA9H1xG0]]></MediaId><Title><![CDATA[testCallBackReplyVideo]]></Title><Description><![CDATA[testCallBackReplyVideo]]></Description></Video></xml>',
      'jn1L23DB+6ELqJ+6bruv23M2GmYfkv0xBh2h+XTBOKVKcgDFHle6gqcZ1cZrk3e1qjPQ1F4RsLWzQRG9udbKWesxlkupqcEcW7ZQweImX9+wLMa0GaUzpkycA8+IamDBxn5loLgZpnS7fVAbExOkK5DYHBmv5tptA9tklE/fTIILHR8HLXa5nQvFb3tYPKAlHF3rtTeayNf0QuM+UW/wM9enGIDIJHF7CLHiDNAYxr+r+OrJCmPQyTy8cVWlu9iSvOHPT/77bZqJucQHQ04sq7KZI27OcqpQNSto2OdHCoTccjggX5Z9Mma0nMJBU+jLKJ38YB1fBIz+vBzsYjrTmFQ44YfeEuZ+xRTQwr92vhA9OxchWVINGC50qE/6lmkwWTwGX9wtQpsJKhP+oS7rvTY8+VdzETdfakjkwQ5/Xka042OlUb1/slTwo4RscuQ+RdxSGvDahxAJ6+EAjLt9d8igHngxIbf6YyqqROxuxqIeIch3CssH/LqRs+iAcILvApYZckqmA7FNERspKA5f8GoJ9sv8xmGvZ9Yrf57cExWtnX8aCMMaBropU/1k+hKP5LVdzbWCG0hGwx/dQudYR/eXp3P0XxjlFiy+9DMlaFExWUZQDajPkdPrEeOwofJb']
  ]
  for (const [plaintext, encrypt] of vectors as Array<[string, string]>) {
    t.equal(encryptMessage({ key: KEY, appId: APPID, plaintext, random16 }), encrypt)
    t.same(decryptMessage({ keys: [KEY], appId: APPID, encrypt }), { ok: true, xml: plaintext, keyIndex: 0 })
  }
})

// Official Python sample (compatible mode: plaintext fields and Encrypt in one body), copy at
// charlesXu86/Chatbot_CN Chatbot_Web/impl/weixin/Sample.py
test('official Python sample: msg_signature matches and the inner XML equals the outer fields', async (t) => {
  const encrypt = 'hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE='
  t.equal(messageSignature('spamtest', '1409735669', '1320562132', encrypt), '5d197aaffba7e9b25a30732f161a50dee96bd5fa')
  const outerFields = [
    '<ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>',
    '<FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName>',
    '<CreateTime>1409735668</CreateTime>', '<MsgType><![CDATA[text]]></MsgType>',
    '<Content><![CDATA[abcdteT]]></Content>', '<MsgId>6054768590064713728</MsgId>'
  ]
  const result = decryptMessage({ keys: [KEY], appId: 'wx2c2769f8efd9abc2', encrypt })
  t.same(result, { ok: true, xml: `<xml>${outerFields.join('\n')}\n</xml>`, keyIndex: 0 }, 'newlines kept')
})

// wechatpy tests/test_crypto.py (WeCom: the CorpID sits where the AppID does; same algorithm)
test('wechatpy vectors: fixed-random reply and a signed message', async (t) => {
  const key = parseEncodingAesKey('kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR')
  const corpId = 'wx49f0ab532d5d035a'
  const replyXml = '<xml>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[test]]></Content>\n<FromUserName><![CDATA[wx49f0ab532d5d035a]]></FromUserName>\n<ToUserName><![CDATA[messense]]></ToUserName>\n<AgentID>1</AgentID>\n<CreateTime>1411525903</CreateTime>\n</xml>'
  const expected = '9s4gMv99m88kKTh/H8IdkOiMg6bisoy3ypwy9H4hvSPe9nsGaqyw5hhSjdYbcrKk+j3nba4HMOTzHrluLBYqxgNcBqGsL8GqxlhZgURnAtObvesEl5nZ+uBE8bviY0LWke8Zy9V/QYKxNV2FqllNXcfmstttyIkMKCCmVbCFM2JTF5wY0nFhHZSjPUL2Q1qvSUCUld+/WIXrx0oyKQmpB6o8NRrrNrsDf03oxI1p9FxUgMnwKKZeOA/uu+2IEvEBtb7muXsVbwbgX05UPPJvFurDXafG0RQyPR+mf1nDnAtQmmNOuiR5MIkdQ39xn1vWwi1O5oazPoQJz0nTYjxxEE8kv3kFxtAGVRe3ypD3WeK2XeFYFMNMpatF9XiKzHo3'
  const reply = buildEncryptedReply({
    key, appId: corpId, token: '123456', replyXml, timestamp: '1411525903', nonce: '461056294',
    random16: Buffer.from('1234567890123456')
  })
  t.match(reply, `<Encrypt><![CDATA[${expected}]]></Encrypt>`)
  t.match(reply, '<MsgSignature><![CDATA[407518b7649e86ef23978113f92d27afa9296533]]></MsgSignature>')

  const inbound = 'RgqEoJj5A4EMYlLvWO1F86ioRjZfaex/gePD0gOXTxpsq5Yj4GNglrBb8I2BAJVODGajiFnXBu7mCPatfjsu6IHCrsTyeDXzF6Bv283dGymzxh6ydJRvZsryDyZbLTE7rhnus50qGPMfp2wASFlzEgMW9z1ef/RD8XzaFYgm7iTdaXpXaG4+BiYyolBug/gYNx410cvkKR2/nPwBiT+P4hIiOAQqGp/TywZBtDh1yCF2KOd0gpiMZ5jSw3e29mTvmUHzkVQiMS6td7vXUaWOMZnYZlF3So2SjHnwh4jYFxdgpkHHqIrH/54SNdshoQgWYEvccTKe7FS709/5t6NMxuGhcUGAPOQipvWTT4dShyqio7mlsl5noTrb++x6En749zCpQVhDpbV6GDnTbcX2e8K9QaNWHp91eBdCRxthuL0='
  t.equal(messageSignature('123456', '1411525903', '461056294', inbound), '74d92dfeb87ba7c714f89d98870ae5eb62dff26d')
  const result = decryptMessage({ keys: [key], appId: corpId, encrypt: inbound })
  t.ok(result.ok)
  if (result.ok) {
    t.match(result.xml, '<Content><![CDATA[test]]></Content>')
    t.match(result.xml, '<FromUserName><![CDATA[messense]]></FromUserName>')
  }
})

// ---- every pad value, text round trips ----

test('every pad length 1..32 matches an independent implementation both ways', async (t) => {
  const seen = new Set<number>()
  for (let length = 1; length <= 32; length++) {
    const plaintext = 'x'.repeat(length)
    const random16 = randomBytes(16)
    const encrypt = encryptMessage({ key: KEY, appId: APPID, plaintext, random16 })
    const blocks = openBlocks(rawKey(SAMPLE_AES_KEY), encrypt)
    const full = layout(Buffer.from(plaintext), APPID, length, random16)
    const n = 32 - (full.length % 32)
    seen.add(n)
    t.ok(blocks.equals(padProperly(full)), `our ciphertext opens to layout + ${n} bytes of ${n}`)
    const theirs = sealBlocks(rawKey(SAMPLE_AES_KEY), padProperly(full))
    t.equal(encrypt, theirs, `identical ciphertext at pad ${n}`)
    t.same(decryptMessage({ keys: [KEY], appId: APPID, encrypt: theirs }), { ok: true, xml: plaintext, keyIndex: 0 })
  }
  t.equal(seen.size, 32, 'all 32 pad values, including 17..32, were exercised')
})

test('Chinese, emoji, a BOM and newlines round-trip byte-exact; msg_len counts UTF-8 bytes', async (t) => {
  const texts = [
    '你好，世界', '👍🏽 emoji 🀄️ mixed 中文', '\uFEFF<xml>bom</xml>',
    '<xml>\n<ToUserName><![CDATA[gh_1]]></ToUserName>\n  <Content><![CDATA[ a ]]></Content>\n</xml>\n'
  ]
  for (const plaintext of texts) {
    const encrypt = encryptMessage({ key: KEY, appId: APPID, plaintext })
    t.equal(openBlocks(rawKey(SAMPLE_AES_KEY), encrypt).readUInt32BE(16), Buffer.byteLength(plaintext, 'utf8'))
    t.same(decryptMessage({ keys: [KEY], appId: APPID, encrypt }), { ok: true, xml: plaintext, keyIndex: 0 })
  }
  const twice = [1, 2].map(() => encryptMessage({ key: KEY, appId: APPID, plaintext: 'same' }))
  t.not(twice[0], twice[1], 'a fresh random prefix each time')
})

test('encryptMessage refuses an empty message, a short random prefix, a wrong-size key', async (t) => {
  t.throws(() => encryptMessage({ key: KEY, appId: APPID, plaintext: '' }), TypeError)
  t.throws(() => encryptMessage({ key: KEY, appId: APPID, plaintext: 'a', random16: Buffer.alloc(15) }), TypeError)
  t.throws(() => encryptMessage({ key: Buffer.alloc(16), appId: APPID, plaintext: 'secret-text' }), /key/i)
})

// ---- signatures and the reply envelope ----

test('msg_signature equals an independent sha1 over the sorted four values', async (t) => {
  const encrypt = encryptMessage({ key: KEY, appId: APPID, plaintext: '<xml/>' })
  t.equal(messageSignature('pamtest', '1409304348', 'xxxxxx', encrypt), sha1Sorted(['pamtest', '1409304348', 'xxxxxx', encrypt]))
})

test('buildEncryptedReply output verifies and opens with independent code', async (t) => {
  const replyXml = '<xml><Content><![CDATA[回复 ✓]]></Content></xml>'
  const reply = buildEncryptedReply({ key: KEY, appId: APPID, token: 'pamtest', replyXml, timestamp: '1409304348', nonce: 'abcXYZ09' })
  const parts = /^<xml><Encrypt><!\[CDATA\[([A-Za-z0-9+/=]+)\]\]><\/Encrypt><MsgSignature><!\[CDATA\[([0-9a-f]{40})\]\]><\/MsgSignature><TimeStamp>1409304348<\/TimeStamp><Nonce><!\[CDATA\[abcXYZ09\]\]><\/Nonce><\/xml>$/.exec(reply)
  t.ok(parts, 'exact envelope shape')
  const [, encrypt = '', signature] = parts ?? []
  t.equal(signature, sha1Sorted(['pamtest', '1409304348', 'abcXYZ09', encrypt]))
  const full = openBlocks(rawKey(SAMPLE_AES_KEY), encrypt)
  const msgLength = full.readUInt32BE(16)
  t.equal(full.subarray(20, 20 + msgLength).toString('utf8'), replyXml)
  t.equal(full.subarray(20 + msgLength, 20 + msgLength + APPID.length).toString(), APPID)
})

test('nonce and timestamp are validated before anything is echoed', async (t) => {
  for (const nonce of ['abc', 'A1b2C3', '9'.repeat(32)]) t.ok(isValidNonce(nonce), nonce)
  for (const nonce of ['', '9'.repeat(33), 'x]]><a>', 'a-b', 'a b', 'é', 'abc\n']) t.notOk(isValidNonce(nonce), JSON.stringify(nonce))
  const base = { key: KEY, appId: APPID, token: 'pamtest', replyXml: '<xml/>', timestamp: '1409304348', nonce: 'abc' }
  t.throws(() => buildEncryptedReply({ ...base, nonce: 'x]]><a>' }), TypeError)
  try {
    buildEncryptedReply({ ...base, nonce: 'x]]><a>' })
  } catch (error) {
    t.notMatch((error as Error).message, 'x]]><a>', 'the rejected value is not echoed')
  }
  for (const timestamp of ['', '12a', '1'.repeat(21), '1<']) {
    t.throws(() => buildEncryptedReply({ ...base, timestamp }), TypeError, JSON.stringify(timestamp))
  }
})

test('without a fixed prefix every message gets 16 fresh random bytes, across many messages', async (t) => {
  const key = rawKey('abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG')
  const prefixes = new Set<string>()
  // 1000 messages: several times what one fill of the random pool covers.
  for (let i = 0; i < 1000; i++) {
    const encrypt = encryptMessage({ key, appId: 'wx0123456789abcdef', plaintext: `<xml>${i}</xml>` })
    prefixes.add(openBlocks(key, encrypt).subarray(0, 16).toString('hex'))
  }
  t.equal(prefixes.size, 1000, 'no prefix repeats')
  t.notOk(prefixes.has('00'.repeat(16)), 'never an unfilled (zero) prefix')
})
