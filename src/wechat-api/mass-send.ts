import { Type } from '@sinclair/typebox'
import { answerReader, LongId, wireId } from './answer-schema.js'
import type { CallWithToken } from './token-call.js'

export const MASS_PATHS = {
  sendAll: '/cgi-bin/message/mass/sendall',
  preview: '/cgi-bin/message/mass/preview',
  delete: '/cgi-bin/message/mass/delete',
  status: '/cgi-bin/message/mass/get'
} as const

/** What a mass send carries; media ids are permanent material (mpnews: a news material). */
export type MassMessage =
  | { type: 'mpnews', mediaId: string }
  | { type: 'text', content: string }
  | { type: 'voice', mediaId: string }
  | { type: 'image', mediaIds: string[], recommend?: string }
  | { type: 'mpvideo', mediaId: string }
  | { type: 'wxcard', cardId: string }

/** All followers, or those with one tag. */
export type MassTarget = { toAll: true } | { tagId: number }

export interface MassSendOptions {
  /** mpnews: go on when an article is judged a reprint (send_ignore_reprint 1). */
  ignoreReprint?: boolean
  /** WeChat refuses a second job with the same id (45065) instead of sending twice. */
  clientMsgId?: string
}

export type MassStatus = 'SENDING' | 'SEND_SUCCESS' | 'SEND_FAIL' | 'DELETE'

const readSent = answerReader(Type.Object({ msg_id: LongId, msg_data_id: Type.Optional(LongId) }))
const readStatus = answerReader(Type.Object({
  msg_id: LongId,
  msg_status: Type.Union([Type.Literal('SENDING'), Type.Literal('SEND_SUCCESS'), Type.Literal('SEND_FAIL'), Type.Literal('DELETE')])
}))

export function massMessageBody (message: MassMessage): Record<string, unknown> {
  switch (message.type) {
    case 'text': return { msgtype: 'text', text: { content: message.content } }
    case 'image': return { msgtype: 'image', images: { media_ids: message.mediaIds, ...(message.recommend === undefined ? {} : { recommend: message.recommend }) } }
    case 'wxcard': return { msgtype: 'wxcard', wxcard: { card_id: message.cardId } }
    default: return { msgtype: message.type, [message.type]: { media_id: message.mediaId } }
  }
}

export interface MassSendApi {
  /** sendall: resolves with the job's msg_id (and an mpnews article's msg_data_id). */
  send(target: MassTarget, message: MassMessage, options?: MassSendOptions): Promise<{ msgId: string, msgDataId?: string }>
  /** To one follower (openid) or WeChat ID, to see the message before it goes to all. */
  preview(recipient: { openid: string } | { wxname: string }, message: MassMessage): Promise<void>
  /** Deletes a sent job's articles (all, or the one at `articleIndex`, from 1). */
  delete(msgId: string, articleIndex?: number): Promise<void>
  status(msgId: string): Promise<MassStatus>
}

export function createMassSendApi (callWithToken: CallWithToken): MassSendApi {
  return {
    async send (target, message, options = {}) {
      const body = {
        filter: 'toAll' in target ? { is_to_all: true } : { is_to_all: false, tag_id: target.tagId },
        ...massMessageBody(message),
        send_ignore_reprint: options.ignoreReprint === true ? 1 : 0,
        ...(options.clientMsgId === undefined ? {} : { clientmsgid: options.clientMsgId })
      }
      const json = readSent(await callWithToken(MASS_PATHS.sendAll, { method: 'POST', body }), MASS_PATHS.sendAll)
      return { msgId: String(json.msg_id), ...(json.msg_data_id === undefined ? {} : { msgDataId: String(json.msg_data_id) }) }
    },
    async preview (recipient, message) {
      const to = 'openid' in recipient ? { touser: recipient.openid } : { towxname: recipient.wxname }
      await callWithToken(MASS_PATHS.preview, { method: 'POST', body: { ...to, ...massMessageBody(message) } })
    },
    async delete (msgId, articleIndex) {
      await callWithToken(MASS_PATHS.delete, { method: 'POST', body: { msg_id: wireId(msgId), ...(articleIndex === undefined ? {} : { article_idx: articleIndex }) } })
    },
    async status (msgId) {
      return readStatus(await callWithToken(MASS_PATHS.status, { method: 'POST', body: { msg_id: wireId(msgId) } }), MASS_PATHS.status).msg_status
    }
  }
}
