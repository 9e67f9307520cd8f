import type { EventTypes, MessageTypes, UnknownPush } from '../protocol/inbound-schemas.js'
import type { InboundPush } from '../protocol/inbound-push.js'
import type { Logger } from '../logger.js'
import type { Reply } from '../protocol/reply.js'

/** What a handler may log: pino's child logger fits. Never log message content or openids. */
export type BotLogger = Logger

export interface HandlerContext {
  log: BotLogger
  /**
   * Sends texts to this fan as customer-service messages after this push's reply (passive or
   * late), in order. Present only where the account may send them: absent with
   * LATE_REPLY_MODE=retry-window, in auto after a 48001, and outside the push pipeline.
   */
  sendAfterReply?: (texts: readonly string[]) => void
}

/** A handler returns a reply, or nothing for "no reply" (WeChat then shows nothing). */
export type Handler<M> = (message: M, context: HandlerContext) => Reply | undefined | Promise<Reply | undefined>

/**
 * The extension point: one handler per message type (`text`, `image`, …) or event (`subscribe`,
 * `SCAN`, `CLICK`, …), each receiving exactly its typed message; `other` takes the rest.
 */
export type BotHandlers =
  & { [K in keyof MessageTypes]?: Handler<MessageTypes[K]> }
  & { [K in keyof EventTypes]?: Handler<EventTypes[K]> }
  & { other?: Handler<UnknownPush> }

export type Bot = (push: InboundPush, context: HandlerContext) => Promise<Reply | undefined>

/** Dispatches a push to the handler for its type; a type with no handler gets no reply. */
export function createBot (handlers: BotHandlers): Bot {
  return async (push, context) => {
    const handler = (push.kind === 'other' ? handlers.other : handlers[push.type]) as Handler<InboundPush['message']> | undefined
    return handler === undefined ? undefined : await handler(push.message, context)
  }
}
