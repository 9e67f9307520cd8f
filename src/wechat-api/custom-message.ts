import type { WeChatJson, WeChatRequest } from './http-call.js'
import { WeChatApiError } from './wechat-api-error.js'

export const CUSTOM_SEND_PATH = '/cgi-bin/message/custom/send'

/**
 * Errcodes after which sending the same message again cannot succeed: 45015 outside the 48-hour
 * window (or unsubscribed), 45047 window quota used up, 40003 invalid openid, 43004 not a
 * follower, 48001 API not authorized for this account.
 */
const PERMANENT_SEND_ERRCODES = new Set<number | undefined>([45015, 45047, 40003, 43004, 48001])

export function isPermanentSendError (error: unknown): boolean {
  return error instanceof WeChatApiError && error.kind === 'api' && PERMANENT_SEND_ERRCODES.has(error.errcode)
}

/** A customer-service (客服) text message to one follower. */
export async function sendCustomText (
  callWithToken: (path: string, request: Omit<WeChatRequest, 'path'>) => Promise<WeChatJson>,
  openid: string,
  content: string
): Promise<void> {
  await callWithToken(CUSTOM_SEND_PATH, { method: 'POST', body: { touser: openid, msgtype: 'text', text: { content } } })
}
