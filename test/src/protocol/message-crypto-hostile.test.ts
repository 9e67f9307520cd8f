import { createCipheriv, randomBytes } from 'node:crypto'
import { test } from 'tap'
import { decryptMessage, encryptMessage } from '../../../src/protocol/message-crypto.js'
import { parseEncodingAesKey } from '../../../src/protocol/aes-key.js'

// docs/security.md section D (items 45-50, 54). Hostile ciphertexts are sealed here with plain
// node:crypto over hand-built blocks, so every refusal is reached past the AES step.

const SAMPLE_AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'
const OTHER_AES_KEY = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C'
const KEY = parseEncodingAesKey(SAMPLE_AES_KEY)
const OTHER_KEY = parseEncodingAesKey(OTHER_AES_KEY)
const APPID = 'wxb11529c136998cb6'

function sealBlocks (blocks: Buffer, encodingAesKey = SAMPLE_AES_KEY): string {
  const key = Buffer.from(encodingAesKey + '=', 'base64')
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16))
  cipher.setAutoPadding(false)
  return Buffer.concat([cipher.update(blocks), cipher.final()]).toString('base64')
}
function layout (msg: Buffer, appId: string, lengthField = msg.length): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(lengthField)
  return Buffer.concat([Buffer.alloc(16, 0x72), length, msg, Buffer.from(appId)])
}
function padProperly (data: Buffer): Buffer {
  const n = 32 - (data.length % 32)
  return Buffer.concat([data, Buffer.alloc(n, n)])
}
const open = (encrypt: string, keys = [KEY]) => decryptMessage({ keys, appId: APPID, encrypt })
const refused = (encrypt: string, keys = [KEY]) => {
  const result = open(encrypt, keys)
  return result.ok ? 'accepted' : result.error
}

// 96 message bytes: 134 before padding, 160 after, so the base64 always ends in '=='.
const GOOD = encryptMessage({ key: KEY, appId: APPID, plaintext: '<xml><Content>hi</Content></xml>'.repeat(3) })

test('45: Encrypt that is not canonical standard base64 is refused (decode-base64)', async (t) => {
  t.ok(open(GOOD).ok, 'the untouched value decrypts')
  // The official Python sample's Encrypt (charlesXu86/Chatbot_CN Chatbot_Web/impl/weixin/Sample.py):
  // it holds both '+' and '/', and passes the base64 stage (it fails later, on the AppID).
  const sample = 'hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE='
  t.equal(refused(sample), 'appid-mismatch')
  const urlSafe = sample.replace(/\+/g, '-').replace(/\//g, '_')
  t.not(urlSafe, sample)
  const cases: Record<string, string> = {
    '!!!': '!!!',
    base64url: urlSafe,
    'embedded newline': GOOD.slice(0, 40) + '\n' + GOOD.slice(40),
    'embedded CRLF': GOOD.slice(0, 40) + '\r\n' + GOOD.slice(40),
    'trailing space': GOOD + ' ',
    'leading space': ' ' + GOOD,
    'padding stripped': GOOD.replace(/=+$/, ''),
    'extra padding': GOOD + '==',
    'non-canonical trailing bits': 'AB==',
    'junk between chars': GOOD.slice(0, 8) + '!' + GOOD.slice(8)
  }
  for (const [name, encrypt] of Object.entries(cases)) t.equal(refused(encrypt), 'decode-base64', name)
})

test('46: a length under 32 bytes or not a whole AES block is refused (illegal-buffer)', async (t) => {
  for (const bytes of [0, 1, 15, 16, 31, 33, 40, 47, 63]) {
    t.equal(refused(randomBytes(bytes).toString('base64')), 'illegal-buffer', `${bytes} bytes`)
  }
  t.equal(refused(''), 'illegal-buffer', 'empty Encrypt')
})

test('47: a message sealed under another EncodingAESKey is refused', async (t) => {
  const foreign = encryptMessage({ key: OTHER_KEY, appId: APPID, plaintext: '<xml>foreign</xml>' })
  const result = open(foreign)
  t.equal(result.ok, false)
  t.not(refused(foreign), 'decode-base64')
  t.not(refused(foreign), 'illegal-buffer')
})

test('48: pad byte 0, 33, 255 or inconsistent pad bytes are refused; pads 17..32 accepted', async (t) => {
  const aligned = layout(Buffer.from('x'.repeat(26)), APPID) // 16 + 4 + 26 + 18 = 64, block-aligned
  t.equal(aligned.length % 32, 0)
  const withPad = (pad: number[]) => sealBlocks(Buffer.concat([aligned, Buffer.from(pad)]))
  t.equal(refused(withPad(new Array(32).fill(0))), 'bad-padding', 'pad 0')
  t.equal(refused(withPad(new Array(32).fill(33))), 'bad-padding', 'pad 33')
  t.equal(refused(withPad(new Array(32).fill(255))), 'bad-padding', 'pad 255')
  t.equal(refused(withPad([31, ...new Array(31).fill(32)])), 'bad-padding', 'pad 32 with one byte 31')
  const twelveShort = layout(Buffer.from('x'.repeat(14)), APPID) // 52 bytes: needs 12 pad bytes
  const inconsistent = Buffer.concat([twelveShort, Buffer.from([12, 12, 12, 12, 12, 7, 12, 12, 12, 12, 12, 12])])
  t.equal(refused(sealBlocks(inconsistent)), 'bad-padding', 'pad 12 with one byte 7')
  for (let n = 17; n <= 32; n++) {
    const msg = Buffer.from('y'.repeat(64 - 38 - n + 32))
    const blocks = padProperly(layout(msg, APPID))
    t.equal(blocks.at(-1), n)
    t.same(open(sealBlocks(blocks)), { ok: true, xml: msg.toString(), keyIndex: 0 }, `pad ${n}`)
  }
})

test('49: msg_len that does not fit is refused before any slicing (bad-length)', async (t) => {
  const msg = Buffer.from('<xml>true length</xml>')
  const overruns = [['0xFFFFFFFF', 0xffffffff], ['0x80000000', 0x80000000], ['true+1000', msg.length + 1000], ['0', 0]] as const
  for (const [name, field] of overruns) {
    t.equal(refused(sealBlocks(padProperly(layout(msg, APPID, field)))), 'bad-length', name)
  }
  t.equal(refused(sealBlocks(Buffer.alloc(32, 32))), 'bad-length', 'one block that is all padding')
  t.equal(refused(sealBlocks(padProperly(layout(Buffer.alloc(0), '', 1)))), 'bad-length', 'header only, nothing after it')
  t.equal(refused(sealBlocks(padProperly(Buffer.alloc(19)))), 'bad-length', 'shorter than the header')
  // A length that is off but still inside the buffer moves bytes into or out of the trailer,
  // which then is not exactly our AppID.
  for (const [name, field] of [['true+1', msg.length + 1], ['true-1', msg.length - 1], ['true+appid', msg.length + APPID.length]] as const) {
    t.equal(refused(sealBlocks(padProperly(layout(msg, APPID, field)))), 'appid-mismatch', name)
  }
})

test('50: a trailer other than our AppID is refused (appid-mismatch)', async (t) => {
  const msg = Buffer.from('<xml>ok</xml>')
  for (const appId of ['wxevil', 'wxb11529c136998cb7', 'WXB11529C136998CB6', `${APPID}x`, '']) {
    t.equal(refused(sealBlocks(padProperly(layout(msg, appId)))), 'appid-mismatch', JSON.stringify(appId))
  }
  const viaModule = encryptMessage({ key: KEY, appId: 'wxevil', plaintext: '<xml/>' })
  t.equal(refused(viaModule), 'appid-mismatch')
})

test('message bytes that are not UTF-8 are refused rather than replaced (bad-utf8)', async (t) => {
  const blocks = padProperly(layout(Buffer.from([0x3c, 0xff, 0xfe, 0xc3, 0x28, 0x3e]), APPID))
  t.equal(refused(sealBlocks(blocks)), 'bad-utf8')
})

test('54: key rotation: both keys open during the overlap, the old one fails once removed', async (t) => {
  const underOld = encryptMessage({ key: OTHER_KEY, appId: APPID, plaintext: '<xml>old</xml>' })
  const underNew = encryptMessage({ key: KEY, appId: APPID, plaintext: '<xml>new</xml>' })
  t.same(open(underNew, [KEY, OTHER_KEY]), { ok: true, xml: '<xml>new</xml>', keyIndex: 0 })
  t.same(open(underOld, [KEY, OTHER_KEY]), { ok: true, xml: '<xml>old</xml>', keyIndex: 1 })
  t.equal(open(underOld, [KEY]).ok, false, 'after removal')
  t.same(open(underOld, [OTHER_KEY]), { ok: true, xml: '<xml>old</xml>', keyIndex: 0 })
})

test('with several keys the failure that got furthest is reported', async (t) => {
  const evilUnderOld = sealBlocks(padProperly(layout(Buffer.from('<xml/>'), 'wxevil')), OTHER_AES_KEY)
  t.equal(refused(evilUnderOld, [KEY, OTHER_KEY]), 'appid-mismatch', 'later key gets further')
  t.equal(refused(evilUnderOld, [OTHER_KEY, KEY]), 'appid-mismatch', 'earlier key gets further')
})

test('a key the cipher refuses, or no key at all, is a result (decrypt-aes), never a throw', async (t) => {
  t.equal(refused(GOOD, [Buffer.alloc(16)]), 'decrypt-aes')
  t.equal(refused(GOOD, []), 'decrypt-aes')
  t.same(open(GOOD, [Buffer.alloc(16), KEY]), { ok: true, xml: '<xml><Content>hi</Content></xml>'.repeat(3), keyIndex: 1 })
})

test('random ciphertexts never throw and never decrypt', async (t) => {
  let accepted = 0
  for (let i = 0; i < 500; i++) {
    const result = open(randomBytes(32 * (1 + (i % 4))).toString('base64'), [KEY, OTHER_KEY])
    if (result.ok) accepted++
  }
  t.equal(accepted, 0)
})
