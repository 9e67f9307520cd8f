import { Type, type Static } from '@sinclair/typebox'
import { answerReader, LongId } from './answer-schema.js'
import type { CallWithToken } from './token-call.js'

export const TEMPLATE_PATHS = {
  send: '/cgi-bin/message/template/send',
  list: '/cgi-bin/template/get_all_private_template',
  delete: '/cgi-bin/template/del_private_template'
} as const

/** A notice's values by key (`thing1`, `time2`…). Colours went in May 2023: only values remain. */
export type NoticeData = Record<string, string>

/** Opens a mini program when the fan taps the notice (it must be linked to the account). */
export interface MiniProgramLink {
  appid: string
  pagepath: string
}

export interface TemplateMessage {
  touser: string
  templateId: string
  data: NoticeData
  /** Opened on tap; a mini program, when given too, wins where the client supports it. */
  url?: string
  miniprogram?: MiniProgramLink
  /** Makes a retried send idempotent. */
  clientMsgId?: string
}

const PrivateTemplate = Type.Object({
  template_id: Type.String(),
  title: Type.String(),
  primary_industry: Type.String(),
  deputy_industry: Type.String(),
  content: Type.String(),
  example: Type.String()
})
export type PrivateTemplate = Static<typeof PrivateTemplate>

const readSent = answerReader(Type.Object({ msgid: LongId }))
const readTemplates = answerReader(Type.Object({ template_list: Type.Array(PrivateTemplate) }))

/** `{ key: { value } }`, as WeChat takes notice data. */
export function noticeDataBody (data: NoticeData): Record<string, { value: string }> {
  return Object.fromEntries(Object.entries(data).map(([key, value]) => [key, { value }]))
}

export interface TemplateMessageApi {
  /** Resolves with the msgid (a string: it passes 2^53) that TEMPLATESENDJOBFINISH will name. */
  send(message: TemplateMessage): Promise<string>
  listPrivate(): Promise<PrivateTemplate[]>
  deletePrivate(templateId: string): Promise<void>
}

export function createTemplateMessageApi (callWithToken: CallWithToken): TemplateMessageApi {
  return {
    async send (message) {
      const body = {
        touser: message.touser,
        template_id: message.templateId,
        ...(message.url === undefined ? {} : { url: message.url }),
        ...(message.miniprogram === undefined ? {} : { miniprogram: message.miniprogram }),
        ...(message.clientMsgId === undefined ? {} : { client_msg_id: message.clientMsgId }),
        data: noticeDataBody(message.data)
      }
      const json = await callWithToken(TEMPLATE_PATHS.send, { method: 'POST', body })
      return String(readSent(json, TEMPLATE_PATHS.send).msgid)
    },
    async listPrivate () {
      return readTemplates(await callWithToken(TEMPLATE_PATHS.list, { method: 'GET' }), TEMPLATE_PATHS.list).template_list
    },
    async deletePrivate (templateId) {
      await callWithToken(TEMPLATE_PATHS.delete, { method: 'POST', body: { template_id: templateId } })
    }
  }
}
