import type { CliAccount } from './cli-account.js'
import { UsageError } from './cli-output.js'
import type { Outcome } from './cli-output.js'

export interface CustomRequest {
  openid: string
  /** The words after the openid, joined by spaces. */
  text: string[]
  image?: string
  voice?: string
}

/**
 * `wemp custom send OPENID TEXT`: a customer-service message, split into several when longer
 * than WeChat's 2048 bytes; `--image ID` or `--voice ID` sends an uploaded medium instead.
 */
export async function customSend (account: CliAccount, request: CustomRequest): Promise<Outcome> {
  const { customService } = account.api.management
  const text = request.text.join(' ')
  const kinds = [text !== '', request.image !== undefined, request.voice !== undefined].filter(Boolean).length
  if (kinds !== 1) throw new UsageError('give the TEXT, or --image MEDIA_ID, or --voice MEDIA_ID (one of them)')
  if (request.image !== undefined || request.voice !== undefined) {
    const message = request.image !== undefined ? { type: 'image' as const, mediaId: request.image } : { type: 'voice' as const, mediaId: request.voice as string }
    await customService.send(request.openid, message)
    return { text: `sent ${message.type === 'image' ? 'an image' : 'a voice message'} to ${request.openid}`, json: { openid: request.openid, type: message.type, messages: 1 } }
  }
  const messages = await customService.sendLongText(request.openid, text)
  const split = messages > 1 ? ` (the text was split at WeChat's 2048 bytes)` : ''
  return { text: `sent to ${request.openid}: ${messages} message${messages === 1 ? '' : 's'}${split}`, json: { openid: request.openid, type: 'text', messages } }
}
