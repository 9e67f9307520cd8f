import { Type, type Static } from '@sinclair/typebox'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { signatureMatches, wechatSignature } from './signature.js'

/** WeChat's nonces are short alphanumerics; anything else is refused before it can be echoed. */
export const NONCE = /^[A-Za-z0-9]{1,32}$/
const SIGNATURE = '^[0-9a-f]{40}$'

/**
 * The query of every GET and POST to the server URL, read once. `signature`, `timestamp` and
 * `nonce` are signed; `openid`, `encrypt_type` and `msg_signature` come with pushes (docs/protocol.md §1-2).
 */
export const PushQuerySchema = Type.Object({
  signature: Type.String({ pattern: SIGNATURE }),
  timestamp: Type.String({ pattern: '^[0-9]{1,12}$' }),
  nonce: Type.String({ pattern: NONCE.source }),
  openid: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  encrypt_type: Type.Optional(Type.Union([Type.Literal('aes'), Type.Literal('raw')])),
  msg_signature: Type.Optional(Type.String({ maxLength: 64 }))
})

export type PushQuery = Static<typeof PushQuerySchema>

export type Refusal = 'bad-request' | 'forbidden'

export type SignedQueryCheck =
  | { ok: true, query: PushQuery }
  /** 'bad-request': a parameter is missing or malformed; 'forbidden': well-formed but wrong or stale. */
  | { ok: false, refusal: Refusal, reason: string }

export interface SignedQueryPolicy {
  token: string
  /** 0 disables the freshness window. */
  maxAgeSeconds: number
  nowSeconds: number
}

const check = TypeCompiler.Compile(PushQuerySchema)
const REASONS: Record<string, string> = { encrypt_type: 'encrypt_type must be aes or raw', openid: 'openid malformed' }

/** Checks `signature = sha1(sort(token, timestamp, nonce))` in constant time; never throws. */
export function checkSignedQuery (query: unknown, policy: SignedQueryPolicy): SignedQueryCheck {
  const params = typeof query === 'object' && query !== null ? query : {}
  if (!check.Check(params)) {
    /* c8 ignore next -- Errors() always yields one when Check() failed */
    const field = check.Errors(params).First()?.path.slice(1) ?? 'signature'
    return refuse('bad-request', REASONS[field] ?? `${field} missing or malformed`)
  }
  if (policy.maxAgeSeconds > 0 && Math.abs(policy.nowSeconds - Number(params.timestamp)) > policy.maxAgeSeconds) {
    return refuse('forbidden', 'timestamp outside the allowed window')
  }
  if (!signatureMatches(wechatSignature([policy.token, params.timestamp, params.nonce]), params.signature)) {
    return refuse('forbidden', 'signature mismatch')
  }
  const { signature, timestamp, nonce, openid, encrypt_type: encryptType, msg_signature: msgSignature } = params
  return {
    ok: true,
    query: {
      signature,
      timestamp,
      nonce,
      ...(openid !== undefined && { openid }),
      ...(encryptType !== undefined && { encrypt_type: encryptType }),
      ...(msgSignature !== undefined && { msg_signature: msgSignature })
    }
  }
}

function refuse (refusal: Refusal, reason: string): SignedQueryCheck {
  return { ok: false, refusal, reason }
}
