import type { EventTypes, MessageTypes, UnknownPush } from '../protocol/inbound-schemas.js'
import type { InboundPush } from '../protocol/inbound-push.js'
import type { Reply } from '../protocol/reply.js'
import type { Store } from '../store/store.js'
import type { BotHandlers, HandlerContext } from './bot.js'
import type { Conversation } from './conversation.js'

/**
 * Returned by a rule's handler to let the next rule (and in the end the fallback) answer. Its own
 * value because `undefined` already means "no reply" (as in `BotHandlers`): a rule that only
 * remembers something, like the LOCATION event, must be able to answer nothing and stop there.
 */
export const nextRule: unique symbol = Symbol('next rule')
export type NextRule = typeof nextRule

/** A reply; undefined for "no reply" (WeChat gets `success`); or `nextRule` to pass. */
export type RuleAnswer = Reply | undefined | NextRule

export interface RuleContext extends HandlerContext {
  push: InboundPush
  /** The fan (FromUserName): the key for anything remembered per fan. */
  openid: string
  /** The app's shared store, for per-fan memory that must survive across instances. */
  store: Store
  conversation: Conversation
}

export type RuleHandler<M, Extra = object> = (message: M, context: RuleContext & Extra) => RuleAnswer | Promise<RuleAnswer>

/** A message or event type, as `BotHandlers` names them; `other` is any type not modelled. */
export type PushType = keyof BotHandlers
export type MessageOf<T extends PushType> =
  T extends keyof MessageTypes ? MessageTypes[T] : T extends keyof EventTypes ? EventTypes[T] : UnknownPush
/** Events that carry an EventKey: menu keys and QR scenes. */
export type KeyedEvent = { [K in keyof EventTypes]: 'EventKey' extends keyof EventTypes[K] ? K : never }[keyof EventTypes]
