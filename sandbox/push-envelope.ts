import type { MessageMode } from '../src/protocol/message-mode.js'
import { randomBytes } from 'node:crypto'
import { encryptMessage, messageSignature } from '../src/protocol/message-crypto.js'
import { wechatSignature } from '../src/protocol/signature.js'
import { cdata } from '../src/protocol/xml-codec.js'

export type { MessageMode }

/** What WeChat and the account share, as configured on both sides. */
export interface AccountSecrets {
  token: string
  appId: string
  /** The 32-byte AES key from the EncodingAESKey; needed outside plain mode. */
  aesKey?: Buffer
}

export interface SealedPush {
  /** The query string WeChat appends to the server URL (without `?`). */
  query: string
  body: string
  timestamp: string
  nonce: string
}

export interface SealPushInput {
  /** The plaintext inbound XML (fan-message.ts). */
  xml: string
  openid: string
  accountId: string
  mode: MessageMode
  secrets: AccountSecrets
  /** Seconds; each delivery attempt is signed afresh, as WeChat's retries are. */
  timestamp?: string
  nonce?: string
}

/** A nonce of WeChat's shape (digits). */
export function randomNonce (): string {
  return String(randomBytes(4).readUInt32BE()).padStart(9, '1')
}

/**
 * Signs, and outside plain mode encrypts, a push exactly as WeChat does (docs/protocol.md §1–2):
 * `signature` over token/timestamp/nonce always; with AES, `encrypt_type=aes` and a
 * `msg_signature` that also covers the Encrypt text. Compatible mode keeps the plaintext
 * fields next to Encrypt; safe mode sends only ToUserName and Encrypt.
 */
export function sealPush (input: SealPushInput): SealedPush {
  const { xml, openid, mode, secrets } = input
  const timestamp = input.timestamp ?? String(Math.floor(Date.now() / 1000))
  const nonce = input.nonce ?? randomNonce()
  const query = new URLSearchParams({ signature: wechatSignature([secrets.token, timestamp, nonce]), timestamp, nonce, openid })
  if (mode === 'plain') return { query: query.toString(), body: xml, timestamp, nonce }
  if (secrets.aesKey === undefined) throw new TypeError(`${mode} mode needs an EncodingAESKey`)
  const encrypt = encryptMessage({ key: secrets.aesKey, appId: secrets.appId, plaintext: xml })
  query.set('encrypt_type', 'aes')
  query.set('msg_signature', messageSignature(secrets.token, timestamp, nonce, encrypt))
  const body = mode === 'safe'
    ? `<xml><ToUserName>${cdata(input.accountId)}</ToUserName><Encrypt>${cdata(encrypt)}</Encrypt></xml>`
    : xml.replace(/<\/xml>$/, `<Encrypt>${cdata(encrypt)}</Encrypt></xml>`)
  return { query: query.toString(), body, timestamp, nonce }
}
