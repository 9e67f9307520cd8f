import { createCipheriv, createDecipheriv, randomFillSync } from 'node:crypto'
import { pkcs7PadCount32, pkcs7Unpad32 } from './pkcs7-32.js'
import { NONCE } from './signed-query.js'
import { wechatSignature } from './signature.js'

// Safe/compatible-mode message encryption (docs/protocol.md §2):
// Encrypt = base64(AES-256-CBC(key, iv = key[0..16], PKCS7_32(random16 ‖ uint32be len ‖ msg ‖ appid)))

const CIPHER = 'aes-256-cbc'
const AES_BLOCK_BYTES = 16
const RANDOM_BYTES = 16
const HEADER_BYTES = RANDOM_BYTES + 4
const MIN_CIPHERTEXT_BYTES = 32
const TIMESTAMP_FORMAT = /^[0-9]{1,20}$/
// fatal: invalid UTF-8 is refused, not turned into U+FFFD; ignoreBOM: a leading BOM is kept, byte-exact.
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** Why an Encrypt value was refused; named after the official sample's codes (ierror.py). */
export type CryptoErrorCode =
  | 'decode-base64' //  -40010: not canonical standard base64
  | 'illegal-buffer' // -40008: ciphertext under 32 bytes or not a whole number of AES blocks
  | 'decrypt-aes' //    -40007: the cipher refused (a key that is not 32 bytes), or no key configured
  | 'bad-padding' //    -40008: PKCS#7/32 pad byte outside 1..32, or pad bytes that differ
  | 'bad-length' //     -40008: msg_len 0, or more than the decrypted bytes hold
  | 'appid-mismatch' // -40005: the bytes after the message are not exactly our AppID
  | 'bad-utf8' //       the message bytes are not UTF-8

export type DecryptResult =
  | { readonly ok: true, readonly xml: string, readonly keyIndex: number }
  | { readonly ok: false, readonly error: CryptoErrorCode }

type Opened = { readonly ok: true, readonly xml: string } | { readonly ok: false, readonly error: CryptoErrorCode }

// When every key fails, the failure that got furthest is reported: an appid mismatch under an
// old key says more (someone holds a valid key) than bad padding under the current one.
const STAGES: readonly CryptoErrorCode[] = ['decrypt-aes', 'bad-padding', 'bad-length', 'appid-mismatch', 'bad-utf8']

export interface EncryptMessageInput {
  readonly key: Buffer
  readonly appId: string
  readonly plaintext: string
  /** Fixed prefix for reproducible output (tests, official vectors); random bytes otherwise. */
  readonly random16?: Buffer | undefined
}

/**
 * The base64 Encrypt text for `plaintext`. msg_len is the UTF-8 byte length. Throws a TypeError
 * for an empty plaintext (an empty reply needs no encryption, and decryptMessage refuses
 * msg_len 0) or a random16 that is not 16 bytes, and the cipher's RangeError for a key that is
 * not 32 bytes; no message carries key or plaintext.
 */
export function encryptMessage ({ key, appId, plaintext, random16 = randomPrefix() }: EncryptMessageInput): string {
  if (plaintext.length === 0) throw new TypeError('plaintext must not be empty')
  if (random16.length !== RANDOM_BYTES) throw new TypeError('random16 must be exactly 16 bytes')
  // random16 ‖ len ‖ msg ‖ appid ‖ padding, laid out in one buffer: no intermediate copies.
  const msgBytes = Buffer.byteLength(plaintext, 'utf8')
  const unpadded = HEADER_BYTES + msgBytes + Buffer.byteLength(appId, 'utf8')
  const pad = pkcs7PadCount32(unpadded)
  const full = Buffer.allocUnsafe(unpadded + pad)
  random16.copy(full, 0)
  full.writeUInt32BE(msgBytes, RANDOM_BYTES)
  full.write(plaintext, HEADER_BYTES, 'utf8')
  full.write(appId, HEADER_BYTES + msgBytes, 'utf8')
  full.fill(pad, unpadded)
  const cipher = createCipheriv(CIPHER, key, key.subarray(0, AES_BLOCK_BYTES))
  cipher.setAutoPadding(false)
  const encrypted = cipher.update(full)
  cipher.final() // Whole blocks, no auto padding: final() only checks and has nothing left to add.
  return encrypted.toString('base64')
}

// randomBytes(16) costs a call into OpenSSL each time; the same generator fills a pool at once.
const randomPool = Buffer.alloc(4096)
let randomAt = randomPool.length

/** 16 fresh random bytes of their own (the pool is refilled before any byte is handed out twice). */
function randomPrefix (): Buffer {
  if (randomAt === randomPool.length) {
    randomFillSync(randomPool)
    randomAt = 0
  }
  randomAt += RANDOM_BYTES
  return Buffer.from(randomPool.subarray(randomAt - RANDOM_BYTES, randomAt))
}

export interface DecryptMessageInput {
  /** The current key first, then previous ones still accepted during a rotation. */
  readonly keys: readonly Buffer[]
  readonly appId: string
  readonly encrypt: string
}

/**
 * The inner XML of an Encrypt value, byte-exact (no trimming), with the index of the key that
 * opened it so the reply can be sealed with that same key. Never throws. Callers verify
 * msg_signature first: the codes differ per failure, which is harmless only because an
 * unsigned ciphertext never reaches this function (no padding oracle).
 */
export function decryptMessage ({ keys, appId, encrypt }: DecryptMessageInput): DecryptResult {
  const ciphertext = Buffer.from(encrypt, 'base64')
  // Buffer.from skips characters outside the alphabet and also takes base64url; only the exact
  // canonical text re-encodes to itself, which rejects `!!!`, `-_`, whitespace and bad padding.
  if (ciphertext.toString('base64') !== encrypt) return { ok: false, error: 'decode-base64' }
  if (ciphertext.length < MIN_CIPHERTEXT_BYTES || ciphertext.length % AES_BLOCK_BYTES !== 0) {
    return { ok: false, error: 'illegal-buffer' }
  }
  const expectedAppId = Buffer.from(appId, 'utf8')
  let furthest: CryptoErrorCode = 'decrypt-aes'
  for (const [keyIndex, key] of keys.entries()) {
    const opened = openWithKey(key, ciphertext, expectedAppId)
    if (opened.ok) return { ok: true, xml: opened.xml, keyIndex }
    if (STAGES.indexOf(opened.error) > STAGES.indexOf(furthest)) furthest = opened.error
  }
  return { ok: false, error: furthest }
}

function openWithKey (key: Buffer, ciphertext: Buffer, appId: Buffer): Opened {
  let padded: Buffer
  try {
    const decipher = createDecipheriv(CIPHER, key, key.subarray(0, AES_BLOCK_BYTES))
    decipher.setAutoPadding(false)
    padded = decipher.update(ciphertext)
    decipher.final() // As in encryptMessage: nothing is held back.
  } catch {
    return { ok: false, error: 'decrypt-aes' }
  }
  const full = pkcs7Unpad32(padded)
  if (full === undefined) return { ok: false, error: 'bad-padding' }
  if (full.length <= HEADER_BYTES) return { ok: false, error: 'bad-length' }
  // msg_len is attacker-shaped (0xFFFFFFFF, 0x80000000...): bounded by the bytes present before
  // anything is sliced by it. The trailer must then be exactly our AppID, which also pins
  // 16 + 4 + msg_len + appid.length to the unpadded length (a wrong msg_len that still fits
  // shows up as a trailer mismatch, as in the official sample).
  const msgLength = full.readUInt32BE(RANDOM_BYTES)
  if (msgLength === 0 || msgLength > full.length - HEADER_BYTES) return { ok: false, error: 'bad-length' }
  if (!full.subarray(HEADER_BYTES + msgLength).equals(appId)) return { ok: false, error: 'appid-mismatch' }
  try {
    return { ok: true, xml: STRICT_UTF8.decode(full.subarray(HEADER_BYTES, HEADER_BYTES + msgLength)) }
  } catch {
    return { ok: false, error: 'bad-utf8' }
  }
}

/** msg_signature = sha1 of the sorted, concatenated token, timestamp, nonce and Encrypt text. */
export function messageSignature (token: string, timestamp: string, nonce: string, encrypt: string): string {
  return wechatSignature([token, timestamp, nonce, encrypt])
}

/** The nonce shape echoed into replies; callers reject any other request nonce with a 400. */
export function isValidNonce (nonce: string): boolean {
  return NONCE.test(nonce)
}

export interface EncryptedReplyInput {
  readonly key: Buffer
  readonly appId: string
  readonly token: string
  readonly replyXml: string
  readonly timestamp: string
  readonly nonce: string
  readonly random16?: Buffer | undefined
}

/**
 * The safe-mode passive reply envelope. Base64 and hex never contain `]]>`, so the CDATA is safe;
 * the nonce and timestamp are checked again here (TypeError) so an unvalidated value can never
 * inject markup even if a caller forgot: callers are still expected to validate first.
 */
export function buildEncryptedReply (input: EncryptedReplyInput): string {
  const { key, appId, token, replyXml, timestamp, nonce, random16 } = input
  if (!isValidNonce(nonce)) throw new TypeError('nonce must match /^[A-Za-z0-9]{1,32}$/')
  if (!TIMESTAMP_FORMAT.test(timestamp)) throw new TypeError('timestamp must be 1 to 20 decimal digits')
  const encrypt = encryptMessage({ key, appId, plaintext: replyXml, random16 })
  const signature = messageSignature(token, timestamp, nonce, encrypt)
  return `<xml><Encrypt><![CDATA[${encrypt}]]></Encrypt><MsgSignature><![CDATA[${signature}]]></MsgSignature>` +
    `<TimeStamp>${timestamp}</TimeStamp><Nonce><![CDATA[${nonce}]]></Nonce></xml>`
}
