import { decryptMessage, messageSignature } from '../src/protocol/message-crypto.js'
import { parseWeChatXml } from '../src/protocol/xml-codec.js'
import type { AccountSecrets, MessageMode } from './push-envelope.js'

export interface SignatureCheck {
  ok: boolean
  /** What WeChat computes from the token and the reply's TimeStamp, Nonce and Encrypt. */
  expected: string
  given: string
}

export type OpenedReply =
  /** `success` or an empty body: WeChat shows nothing and does not retry. */
  | { status: 'silent' }
  | { status: 'open', xml: string, encrypted: false }
  | { status: 'open', xml: string, encrypted: true, signature: SignatureCheck }
  | { status: 'refused', reason: string, signature?: SignatureCheck }

const ENVELOPE_FIELDS = ['Encrypt', 'MsgSignature', 'TimeStamp', 'Nonce'] as const

/**
 * Reads a passive reply as WeChat does (docs/protocol.md §2, §5): `success`/empty is silence; an
 * encrypted reply must carry a MsgSignature that matches and must decrypt with the account's
 * key and AppID; safe mode accepts nothing else, plain mode never expects encryption.
 * Whatever is not an envelope goes on, as is, to the reply check.
 */
export function openReply (body: string, mode: MessageMode, secrets: AccountSecrets): OpenedReply {
  const trimmed = body.trim()
  if (trimmed === '' || trimmed === 'success') return { status: 'silent' }
  const outer = parseWeChatXml(trimmed)
  if (!outer.ok || outer.fields.Encrypt === undefined) {
    if (outer.ok && mode === 'safe') return { status: 'refused', reason: '安全模式下回复必须加密（Encrypt、MsgSignature、TimeStamp、Nonce），收到的是明文 XML' }
    return { status: 'open', xml: body, encrypted: false }
  }
  if (mode === 'plain') return { status: 'refused', reason: '明文模式的推送收到了加密回复' }
  const fields = outer.fields
  const missing = ENVELOPE_FIELDS.filter((name) => typeof fields[name] !== 'string' || fields[name] === '')
  if (missing.length > 0) return { status: 'refused', reason: `加密回复缺少字段：${missing.join('、')}` }
  const [encrypt, given, timestamp, nonce] = ENVELOPE_FIELDS.map((name) => fields[name] as string) as [string, string, string, string]
  const expected = messageSignature(secrets.token, timestamp, nonce, encrypt)
  const signature: SignatureCheck = { ok: expected === given, expected, given }
  if (!signature.ok) return { status: 'refused', reason: 'MsgSignature 校验失败：与 sha1(sort(Token, TimeStamp, Nonce, Encrypt)) 不一致', signature }
  // sealPush already required the key outside plain mode.
  const opened = decryptMessage({ keys: [secrets.aesKey as Buffer], appId: secrets.appId, encrypt })
  if (!opened.ok) return { status: 'refused', reason: `Encrypt 无法解密（${opened.error}）`, signature }
  return { status: 'open', xml: opened.xml, encrypted: true, signature }
}
