import type { Json } from './json.js'

export type MassStatus = 'SENDING' | 'SEND_SUCCESS' | 'SEND_FAIL' | 'DELETE'

export interface MassJob {
  msgId: number
  /** For mpnews: the article's data id. */
  msgDataId: number | undefined
  msgtype: string
  /** The openids the job went to. */
  recipients: string[]
  status: MassStatus
  /** The request body as WeChat received it. */
  body: Json
  at: number
}

export interface MassPreview {
  msgId: number
  touser: string
  body: Json
  at: number
}

export interface MassRegistry {
  readonly jobs: MassJob[]
  readonly previews: MassPreview[]
  /** sendall jobs left: a service account may mass-send 4 times a month. */
  quotaLeft: number
  /** clientmsgid → msg_id, so that a retried job is not sent twice (45065). */
  readonly clientMsgIds: Map<string, number>
  nextMsgId(): number
}

export function createMassRegistry (): MassRegistry {
  let lastId = 1_000_000_000
  return { jobs: [], previews: [], quotaLeft: 4, clientMsgIds: new Map(), nextMsgId: () => ++lastId }
}
