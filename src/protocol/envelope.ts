import { parseEncodingAesKey } from './aes-key.js'
import { buildEncryptedReply, decryptMessage, messageSignature } from './message-crypto.js'
import { isSignatureFormat, signatureMatches } from './signature.js'
import type { MessageMode } from './message-mode.js'
import { parseWeChatXml, type XmlFields } from './xml-codec.js'

export type { MessageMode } from './message-mode.js'


/** The account's secrets for safe mode: the current EncodingAESKey first, then the previous. */
export interface EnvelopeSecrets {
  token: string
  appId: string
  keys: Buffer[]
}

export function envelopeSecrets (token: string, appId: string, aesKeys: Array<string | undefined>): EnvelopeSecrets {
  return { token, appId, keys: aesKeys.filter((k): k is string => k !== undefined).map(parseEncodingAesKey) }
}

/** The parameters of a push that decide how its body is read. */
export interface EnvelopeQuery {
  timestamp: string
  nonce: string
  encryptType: unknown
  msgSignature: unknown
}

export type OpenedEnvelope =
  | { ok: true, fields: XmlFields, sealed: false }
  /** `keyIndex`: the key that opened it, to seal the reply with. */
  | { ok: true, fields: XmlFields, sealed: true, keyIndex: number, outerMismatch: boolean }
  /** `refusal`: 'bad-request' for malformed input, 'forbidden' for a wrong signature or mode. */
  | { ok: false, refusal: 'bad-request' | 'forbidden', reason: string }

/**
 * Opens a push as the configured mode demands (never as the request asks): plain bodies as they
 * are; `encrypt_type=aes` bodies by msg_signature (which covers the ciphertext, unlike
 * `signature`), AES, and the same XML parser as plaintext.
 */
export function openEnvelope (outer: XmlFields, query: EnvelopeQuery, mode: MessageMode, secrets: EnvelopeSecrets): OpenedEnvelope {
  const { encryptType } = query
  if (encryptType !== undefined && encryptType !== 'raw' && encryptType !== 'aes') return refuse('bad-request', 'encrypt_type must be aes or raw')
  if (encryptType !== 'aes') {
    if (mode === 'safe') return refuse('forbidden', 'safe mode accepts encrypted pushes only')
    return { ok: true, fields: outer, sealed: false }
  }
  if (mode === 'plain') return refuse('bad-request', 'plain mode does not accept encrypted pushes')
  const { msgSignature } = query
  if (typeof msgSignature !== 'string' || !isSignatureFormat(msgSignature)) return refuse('bad-request', 'msg_signature missing or malformed')
  const encrypt = outer.Encrypt
  if (typeof encrypt !== 'string' || encrypt === '') return refuse('bad-request', 'encrypted push without Encrypt')
  if (!signatureMatches(messageSignature(secrets.token, query.timestamp, query.nonce, encrypt), msgSignature)) {
    return refuse('forbidden', 'msg_signature mismatch')
  }
  const opened = decryptMessage({ keys: secrets.keys, appId: secrets.appId, encrypt })
  if (!opened.ok) return refuse('bad-request', `Encrypt cannot be opened (${opened.error})`)
  const inner = parseWeChatXml(opened.xml)
  if (!inner.ok) return refuse('bad-request', `decrypted body is not a WeChat XML document (${inner.error})`)
  // Compatible mode repeats the fields in plaintext, covered by no signature: only the inner count.
  const outerMismatch = Object.entries(outer).some(([name, value]) => name !== 'Encrypt' && typeof value === 'string' && value !== inner.fields[name])
  return { ok: true, fields: inner.fields, sealed: true, keyIndex: opened.keyIndex, outerMismatch }
}

/** The encrypted passive reply, sealed with the key that opened the push. */
export function sealReply (replyXml: string, secrets: EnvelopeSecrets, keyIndex: number, nonce: string, nowSeconds: number): string {
  const key = secrets.keys[keyIndex]
  /* c8 ignore next -- keyIndex always comes from openEnvelope with the same secrets */
  if (key === undefined) throw new RangeError('no such key')
  return buildEncryptedReply({ key, appId: secrets.appId, token: secrets.token, replyXml, timestamp: String(nowSeconds), nonce })
}

function refuse (refusal: 'bad-request' | 'forbidden', reason: string): OpenedEnvelope {
  return { ok: false, refusal, reason }
}
