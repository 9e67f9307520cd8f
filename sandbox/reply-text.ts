import type { Exchange } from './exchange.js'
import type { Attempt } from './push-delivery.js'
import { SERVICE_UNAVAILABLE } from './exchange.js'
import type { ReplyContent } from './reply-check.js'

/** One reply as a line or two of terminal text, roughly what the chat would show. */
export function describeReply (reply: ReplyContent): string {
  switch (reply.type) {
    case 'text': return reply.content
    case 'image': return `[图片] MediaId ${reply.mediaId}`
    case 'voice': return `[语音] MediaId ${reply.mediaId}`
    case 'video': return `[视频] ${reply.title ?? ''} MediaId ${reply.mediaId}`
    case 'music': return `[音乐] ${reply.title ?? ''} ThumbMediaId ${reply.thumbMediaId}`
    case 'news': return reply.articles.map((a, i) => `[图文 ${i + 1}] ${a.title}\n  ${a.url}`).join('\n')
    case 'transfer_customer_service': return `[转接客服]${reply.kfAccount === undefined ? '' : ` ${reply.kfAccount}`}`
  }
}

/** The CLI's report of one exchange: the outcome first, then (with raw) the XML both ways. */
export function describeExchange (exchange: Exchange, raw: boolean): string {
  const { result } = exchange
  const retries = exchange.attempts.length - 1
  const lines = [`${exchange.msgType} → ${(exchange.attempts.at(-1) as Attempt).url}`, `${exchange.durationMs} ms, ${exchange.mode} mode${retries > 0 ? `, ${retries} retries` : ''}`]
  if (exchange.signature !== undefined) lines.push(exchange.signature.ok ? 'MsgSignature ok' : `MsgSignature MISMATCH (expected ${exchange.signature.expected})`)
  switch (result.kind) {
    case 'reply': lines.push('', describeReply(result.reply)); break
    case 'silent': lines.push('', '(no reply: success or empty body)'); break
    default: lines.push('', `${SERVICE_UNAVAILABLE}`, `why: ${result.reason}`)
  }
  if (raw) {
    lines.push('', '--- request ---', exchange.requestBody)
    if (exchange.mode !== 'plain') lines.push('--- request (plaintext) ---', exchange.pushXml)
    lines.push('--- reply ---', exchange.replyBody ?? '(none)')
    if (exchange.decryptedReply !== undefined) lines.push('--- reply (decrypted) ---', exchange.decryptedReply)
  }
  return lines.join('\n') + '\n'
}
