import { buildFanMessage, type FanAction } from './fan-message.js'
import { deliverPush, type Attempt } from './push-delivery.js'
import { sealPush, type AccountSecrets, type MessageMode } from './push-envelope.js'
import { checkReply, type ReplyContent } from './reply-check.js'
import { openReply, type SignatureCheck } from './reply-envelope.js'

/** What WeChat shows the fan when the account did not answer in time or answered nonsense. */
export const SERVICE_UNAVAILABLE = '该公众号暂时无法提供服务，请稍后再试'

export type ExchangeResult =
  | { kind: 'reply', reply: ReplyContent }
  /** `success` or an empty body: nothing appears in the chat. */
  | { kind: 'silent' }
  /** The server answered, but not with something WeChat accepts. */
  | { kind: 'invalid', reason: string }
  /** No answer in time (or only errors) through every retry. */
  | { kind: 'unavailable', reason: string }

/** One push and its answer, with everything the console's detail view shows. */
export interface Exchange {
  openid: string
  action: FanAction
  mode: MessageMode
  msgType: string
  msgId?: string
  /** The inbound XML before any encryption. */
  pushXml: string
  /** The body as posted (encrypted outside plain mode). */
  requestBody: string
  attempts: Attempt[]
  replyBody?: string
  /** The reply's inner XML when it came encrypted. */
  decryptedReply?: string
  signature?: SignatureCheck
  result: ExchangeResult
  durationMs: number
}

export interface ExchangeOptions {
  serverUrl: string
  mode: MessageMode
  secrets: AccountSecrets
  accountId: string
  openid: string
  action: FanAction
  timeoutMs?: number
  retries?: number
  /** Seconds; fixed in tests. */
  now?: () => number
}

/** Plays WeChat for one fan action: build, seal, deliver (with retries), open and check the reply. */
export async function runExchange (options: ExchangeOptions): Promise<Exchange> {
  const { mode, secrets, accountId, openid, action } = options
  const createTime = options.now?.() ?? Math.floor(Date.now() / 1000)
  const message = buildFanMessage(action, { openid, accountId, createTime })
  let requestBody = ''
  const delivery = await deliverPush({
    serverUrl: options.serverUrl,
    timeoutMs: options.timeoutMs,
    retries: options.retries,
    seal: () => {
      const sealed = sealPush({ xml: message.xml, openid, accountId, mode, secrets })
      requestBody = sealed.body
      return sealed
    }
  })
  const base = {
    openid, action, mode, msgType: message.msgType, ...(message.msgId === undefined ? {} : { msgId: message.msgId }),
    pushXml: message.xml, requestBody, attempts: delivery.attempts, durationMs: delivery.durationMs
  }
  if (delivery.answer === undefined) {
    // Every failed attempt carries its error.
    const last = delivery.attempts.at(-1) as Attempt & { error: string }
    return { ...base, result: { kind: 'unavailable', reason: `${delivery.attempts.length} 次投递都失败，最后一次：${last.error}` } }
  }
  const replyBody = delivery.answer.body
  const opened = openReply(replyBody, mode, secrets)
  if (opened.status === 'silent') return { ...base, replyBody, result: { kind: 'silent' } }
  if (opened.status === 'refused') {
    return { ...base, replyBody, ...(opened.signature === undefined ? {} : { signature: opened.signature }), result: { kind: 'invalid', reason: opened.reason } }
  }
  const checked = checkReply(opened.xml, { openid, accountId, msgType: message.msgType })
  const envelope = opened.encrypted ? { decryptedReply: opened.xml, signature: opened.signature } : {}
  return { ...base, replyBody, ...envelope, result: checked.ok ? { kind: 'reply', reply: checked.reply } : { kind: 'invalid', reason: checked.reason } }
}

/** One push from a fan to an account's server, with WeChat's timing unless a test shortens it. */
export async function exchangeAs (
  account: Pick<ExchangeOptions, 'serverUrl' | 'mode' | 'secrets' | 'accountId'>,
  openid: string,
  action: FanAction,
  timing: { timeoutMs?: number | undefined, retries?: number | undefined },
  mode: MessageMode = account.mode
): Promise<Exchange> {
  return await runExchange({ ...account, mode, openid, action, timeoutMs: timing.timeoutMs, retries: timing.retries })
}
