import { noticeDataBody } from './template-message.js'
import type { MiniProgramLink, NoticeData } from './template-message.js'
import type { CallWithToken } from './token-call.js'

export const SUBSCRIBE_SEND_PATH = '/cgi-bin/message/subscribe/bizsend'

/**
 * A subscription notice (订阅通知): one per "allow" the fan tapped for this template; without
 * one WeChat answers 43101. Values follow their key's kind (thing ≤ 20 characters, …: 47003).
 */
export interface SubscribeNotice {
  touser: string
  templateId: string
  data: NoticeData
  /** A web page to open on tap. */
  page?: string
  miniprogram?: MiniProgramLink
}

export async function sendSubscribeNotice (callWithToken: CallWithToken, notice: SubscribeNotice): Promise<void> {
  const body = {
    touser: notice.touser,
    template_id: notice.templateId,
    ...(notice.page === undefined ? {} : { page: notice.page }),
    ...(notice.miniprogram === undefined ? {} : { miniprogram: notice.miniprogram }),
    data: noticeDataBody(notice.data)
  }
  await callWithToken(SUBSCRIBE_SEND_PATH, { method: 'POST', body })
}
