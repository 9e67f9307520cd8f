import type { WeChatApiError } from './wechat-api-error.js'

const SYSTEM_BUSY_MS = 10_000
const QUOTA_OR_CREDENTIAL_MS = 60_000
const TRANSPORT_MS = 2_000

// 45009/45011 daily/minute quota; 40164 IP not whitelisted; 40013/40125 wrong appid/secret;
// 40243 AppSecret frozen. None of these heal within seconds, and retrying burns quota.
const QUOTA_OR_CREDENTIAL = new Set<number | undefined>([45009, 45011, 40164, 40013, 40125, 40243])

/**
 * How long every instance leaves a credential endpoint alone after this failure (0: not at
 * all). WeChat's -1 "system busy" gets a short pause; transport failures a shorter one, so an
 * unreachable endpoint is not hammered by each waiter in turn; other errcodes (e.g. 40001 from
 * getticket) are left to the caller.
 */
export function credentialCooldownMs (error: WeChatApiError): number {
  if (error.kind === 'api') {
    if (error.errcode === -1) return SYSTEM_BUSY_MS
    return QUOTA_OR_CREDENTIAL.has(error.errcode) ? QUOTA_OR_CREDENTIAL_MS : 0
  }
  return error.kind === 'bad-response' ? 0 : TRANSPORT_MS
}
