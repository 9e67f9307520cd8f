import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'
import { platformSignature } from './wechat-request.js'

/**
 * Encrypts and decrypts like the WeChat platform (docs/protocol.md §2), with plain node:crypto and
 * written independently of src/protocol, so that the envelope and route tests never check the
 * code with itself:
 *   AESKey = base64(EncodingAESKey + '='), IV = AESKey[0..16], AES-256-CBC without auto padding,
 *   PKCS#7 over a 32-byte block, plaintext = random16 ‖ uint32 BE msg_len ‖ msg ‖ appid.
 */

/** The official documentation's all-zero key (43 × 'A') and two more for rotation tests. */
export const AES_KEY_ZERO = 'A'.repeat(43)
export const AES_KEY_CURRENT = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'
export const AES_KEY_PREVIOUS = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C'

export function aesKeyBytes (encodingAesKey: string): Buffer {
  const key = Buffer.from(encodingAesKey + '=', 'base64')
  if (key.length !== 32) throw new Error('test helper: an EncodingAESKey decodes to 32 bytes')
  return key
}

export function padTo32 (data: Buffer): Buffer {
  const n = 32 - (data.length % 32)
  return Buffer.concat([data, Buffer.alloc(n, n)])
}

/** AES-256-CBC over whole blocks, no padding added: for hand-built (also hostile) plaintexts. */
export function sealBlocks (encodingAesKey: string, blocks: Buffer): string {
  const key = aesKeyBytes(encodingAesKey)
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16))
  cipher.setAutoPadding(false)
  return Buffer.concat([cipher.update(blocks), cipher.final()]).toString('base64')
}

/** random16 ‖ uint32 BE length ‖ msg ‖ appid, before padding; `lengthField` overrides msg_len. */
export function fullPlaintext (msg: Buffer, appId: string, { lengthField = msg.length, random16 = randomBytes(16) } = {}): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(lengthField)
  return Buffer.concat([random16, length, msg, Buffer.from(appId, 'utf8')])
}

/** The pad value the platform appends to this message (1..32). */
export function padValueFor (message: string, appId: string): number {
  return 32 - ((20 + Buffer.byteLength(message, 'utf8') + Buffer.byteLength(appId, 'utf8')) % 32)
}

/** The Encrypt text WeChat would send for `message` to the account `appId`. */
export function platformEncrypt (encodingAesKey: string, appId: string, message: string): string {
  return sealBlocks(encodingAesKey, padTo32(fullPlaintext(Buffer.from(message, 'utf8'), appId)))
}

export interface PlatformOpened {
  message: string
  appId: string
  /** The PKCS#7/32 pad value found. */
  pad: number
}

/** Opens an Encrypt text as WeChat would; throws on anything malformed (strict padding). */
export function platformDecrypt (encodingAesKey: string, encrypt: string): PlatformOpened {
  const key = aesKeyBytes(encodingAesKey)
  const ciphertext = Buffer.from(encrypt, 'base64')
  if (ciphertext.toString('base64') !== encrypt) throw new Error('not canonical base64')
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16))
  decipher.setAutoPadding(false)
  const padded = Buffer.concat([decipher.update(ciphertext), decipher.final()])
  const pad = padded[padded.length - 1] ?? 0
  if (pad < 1 || pad > 32 || pad > padded.length) throw new Error(`bad pad value ${pad}`)
  for (let i = padded.length - pad; i < padded.length; i++) {
    if (padded[i] !== pad) throw new Error('inconsistent pad bytes')
  }
  const full = padded.subarray(0, padded.length - pad)
  if (full.length < 20) throw new Error('too short')
  const length = full.readUInt32BE(16)
  if (20 + length > full.length) throw new Error('msg_len too large')
  return {
    message: full.subarray(20, 20 + length).toString('utf8'),
    appId: full.subarray(20 + length).toString('utf8'),
    pad
  }
}

/** msg_signature = sha1(sort([token, timestamp, nonce, Encrypt]).join('')). */
export function platformMsgSignature (token: string, timestamp: string, nonce: string, encrypt: string): string {
  return createHash('sha1').update([token, timestamp, nonce, encrypt].sort().join('')).digest('hex')
}

/** `<xml><ToUserName/><Encrypt/></xml>`: what WeChat posts in safe mode. */
export function safeModeBody (encrypt: string, toUserName = 'gh_0123456789ab'): string {
  return `<xml><ToUserName><![CDATA[${toUserName}]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`
}

/** Compatible mode: the plaintext fields and `<Encrypt>` in one body. */
export function compatibleModeBody (plainXml: string, encrypt: string): string {
  if (!plainXml.endsWith('</xml>')) throw new Error('test helper: plainXml must end with </xml>')
  return `${plainXml.slice(0, -'</xml>'.length)}<Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`
}

export interface EncryptedQueryOptions {
  token: string
  encrypt: string
  timestamp?: string
  nonce?: string
  /** Replaces the computed msg_signature (null: leave it out). */
  msgSignature?: string | null
  extra?: Record<string, string>
  /** The account's server URL path; `/wechat` unless given. */
  path?: string
}

let nonceCounter = 0

/** `/wechat?signature&timestamp&nonce&encrypt_type=aes&msg_signature`, signed like the platform. */
export function encryptedUrl (options: EncryptedQueryOptions): { url: string, timestamp: string, nonce: string } {
  const timestamp = options.timestamp ?? String(Math.floor(Date.now() / 1000))
  const nonce = options.nonce ?? `${Math.floor(Math.random() * 1e9)}${++nonceCounter}`
  const msgSignature = options.msgSignature === undefined
    ? platformMsgSignature(options.token, timestamp, nonce, options.encrypt)
    : options.msgSignature
  const params = new URLSearchParams({
    signature: platformSignature(options.token, timestamp, nonce),
    timestamp,
    nonce,
    encrypt_type: 'aes',
    ...(msgSignature === null ? {} : { msg_signature: msgSignature }),
    ...options.extra
  })
  return { url: `${options.path ?? '/wechat'}?${params.toString()}`, timestamp, nonce }
}

export interface EncryptedReplyParts {
  encrypt: string
  msgSignature: string
  timeStamp: string
  nonce: string
}

const ENCRYPTED_REPLY = /^<xml>\s*<Encrypt><!\[CDATA\[([A-Za-z0-9+/=]+)\]\]><\/Encrypt>\s*<MsgSignature><!\[CDATA\[([0-9a-f]{40})\]\]><\/MsgSignature>\s*<TimeStamp>([0-9]+)<\/TimeStamp>\s*<Nonce><!\[CDATA\[([^\]]*)\]\]><\/Nonce>\s*<\/xml>$/

/** The four fields of an encrypted passive reply, or undefined when the body has another shape. */
export function parseEncryptedReply (body: string): EncryptedReplyParts | undefined {
  const m = ENCRYPTED_REPLY.exec(body)
  if (m === null) return undefined
  return { encrypt: m[1] as string, msgSignature: m[2] as string, timeStamp: m[3] as string, nonce: m[4] as string }
}
