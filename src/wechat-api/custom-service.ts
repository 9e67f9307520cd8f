import { customMessagePart } from './custom-message-body.js'
import type { CustomMessage } from './custom-message-body.js'
import { CUSTOM_SEND_PATH } from './custom-message.js'
import { splitText } from './text-split.js'
import type { CallWithToken } from './token-call.js'

export type { CustomMessage } from './custom-message-body.js'

export const CUSTOM_TYPING_PATH = '/cgi-bin/message/custom/typing'

export interface SendOptions {
  /** Sends as this customer-service account (kf@gh_…), as the fan's chat then shows. */
  kfAccount?: string
}

export interface CustomServiceApi {
  send(openid: string, message: CustomMessage, options?: SendOptions): Promise<void>
  /**
   * A text of any length, as consecutive messages of at most `maxBytes` each (see splitText),
   * in order; resolves with how many were sent. A failure stops there: the rest is not sent.
   */
  sendLongText(openid: string, text: string, options?: SendOptions & { maxBytes?: number }): Promise<number>
  /** Shows (or stops showing) "typing…" to the fan; WeChat allows it shortly after the fan wrote. */
  typing(openid: string, typing: boolean): Promise<void>
}

export function createCustomServiceApi (callWithToken: CallWithToken): CustomServiceApi {
  async function send (openid: string, message: CustomMessage, options: SendOptions = {}): Promise<void> {
    const { msgtype, part } = customMessagePart(message)
    const body = {
      touser: openid,
      msgtype,
      [msgtype]: part,
      ...(options.kfAccount === undefined ? {} : { customservice: { kf_account: options.kfAccount } })
    }
    await callWithToken(CUSTOM_SEND_PATH, { method: 'POST', body })
  }
  return {
    send,
    async sendLongText (openid, text, options = {}) {
      const parts = splitText(text, options.maxBytes)
      for (const content of parts) await send(openid, { type: 'text', content }, options)
      return parts.length
    },
    async typing (openid, typing) {
      await callWithToken(CUSTOM_TYPING_PATH, { method: 'POST', body: { touser: openid, command: typing ? 'Typing' : 'CancelTyping' } })
    }
  }
}
