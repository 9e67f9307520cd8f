import type { EventTypes, TextMessage } from '../protocol/inbound-schemas.js'
import type { InboundPush } from '../protocol/inbound-push.js'
import type { Reply } from '../protocol/reply.js'
import type { Store } from '../store/store.js'
import { createBot, type Bot, type BotHandlers, type HandlerContext } from './bot.js'
import { createConversation, DEFAULT_CONVERSATION_TTL_MS, type PendingTopic } from './conversation.js'
import { nextRule, type KeyedEvent, type MessageOf, type PushType, type RuleAnswer, type RuleContext, type RuleHandler } from './rule-types.js'

export { nextRule, type KeyedEvent, type MessageOf, type NextRule, type PushType, type RuleAnswer, type RuleContext, type RuleHandler } from './rule-types.js'

export interface RouterOptions {
  store: Store
  /** How long a question waits for the fan's answer; default five minutes. */
  conversationTtlMs?: number
}

/**
 * One rule: answers, or says `nextRule` when it does not match or passes. Synchronous when it can
 * be: most rules do not match most pushes, and an await each would cost every push a tick per rule.
 */
type Rule = (push: InboundPush, context: RuleContext) => RuleAnswer | Promise<RuleAnswer>

// `never`: a handler of any message type fits; the router passes each the type it matched.
type AnyHandler = RuleHandler<never>
type TopicHandler = RuleHandler<TextMessage, { topic: PendingTopic }>

const QR_SCENE_PREFIX = 'qrscene_'

/** A subscribe through a parameter QR code carries `qrscene_<scene>`; SCAN the bare scene. */
function eventKeyOf (push: InboundPush): string | undefined {
  const key = (push.message as { EventKey?: unknown }).EventKey
  if (typeof key !== 'string') return undefined
  return push.type === 'subscribe' && key.startsWith(QR_SCENE_PREFIX) ? key.slice(QR_SCENE_PREFIX.length) : key
}

const textOf = (push: InboundPush): string | undefined =>
  push.kind === 'message' && push.type === 'text' ? push.message.Content : undefined

const wordList = (words: string | readonly string[]): string[] =>
  (typeof words === 'string' ? [words] : [...words]).map((word) => word.trim().toLowerCase())

/**
 * The rule router: rules are tried in the order declared, the first that answers wins, and the
 * fallback answers the rest. A pending conversation goes first: the fan's next text is offered to
 * the `.topic()` rule that asked for it. Text matching trims the text and ignores Latin case.
 */
export class RuleRouter {
  readonly #rules: Rule[] = []
  readonly #topics = new Map<string, TopicHandler>()
  readonly #store: Store
  readonly #ttlMs: number
  #fallback: Bot | undefined

  constructor (options: RouterOptions) {
    this.#store = options.store
    this.#ttlMs = options.conversationTtlMs ?? DEFAULT_CONVERSATION_TTL_MS
  }

  /** Every push of one message or event type: `.on('image', …)`, `.on('LOCATION', …)`. */
  on<T extends PushType> (type: T, handler: RuleHandler<MessageOf<T>>): this {
    return this.#add((push) => type === 'other' ? push.kind === 'other' : push.kind !== 'other' && push.type === type, handler as AnyHandler)
  }

  /** A text that is exactly one of the words. */
  keyword (words: string | readonly string[], handler: RuleHandler<TextMessage>): this {
    const wanted = new Set(wordList(words))
    return this.#text((text) => wanted.has(text.trim().toLowerCase()), handler)
  }

  /** A text that contains one of the words. */
  contains (words: string | readonly string[], handler: RuleHandler<TextMessage>): this {
    const wanted = wordList(words).filter((word) => word !== '')
    return this.#text((text) => { const lower = text.toLowerCase(); return wanted.some((word) => lower.includes(word)) }, handler)
  }

  /** A text the pattern matches (not trimmed); the handler gets the captures as `context.match`. */
  regex (pattern: RegExp, handler: RuleHandler<TextMessage, { match: RegExpExecArray }>): this {
    // Without g/y a RegExp keeps no lastIndex, so one fan's text cannot shift the next match.
    const own = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''))
    this.#rules.push((push, context) => {
      const text = textOf(push)
      const match = text === undefined ? null : own.exec(text)
      return match === null ? nextRule : handler(push.message as TextMessage, { ...context, match })
    })
    return this
  }

  /** An event, optionally only with one EventKey (menu key; QR scene, with or without `qrscene_`). */
  event<E extends keyof EventTypes> (event: E, handler: RuleHandler<EventTypes[E]>): this
  event<E extends KeyedEvent> (event: E, key: string, handler: RuleHandler<EventTypes[E]>): this
  event (event: keyof EventTypes, keyOrHandler: string | AnyHandler, handler?: AnyHandler): this {
    if (typeof keyOrHandler !== 'string') return this.#add((push) => push.kind === 'event' && push.type === event, keyOrHandler)
    return this.#add((push) => push.kind === 'event' && push.type === event && eventKeyOf(push) === keyOrHandler, handler as AnyHandler)
  }

  /** Any test of the push (and context): the most general rule. */
  when<P extends InboundPush> (predicate: (push: InboundPush, context: RuleContext) => push is P, handler: RuleHandler<P['message']>): this
  when (predicate: (push: InboundPush, context: RuleContext) => boolean | Promise<boolean>, handler: RuleHandler<InboundPush['message']>): this
  when (predicate: (push: InboundPush, context: RuleContext) => boolean | Promise<boolean>, handler: AnyHandler): this {
    return this.#add(predicate, handler)
  }

  #add (predicate: (push: InboundPush, context: RuleContext) => boolean | Promise<boolean>, handler: AnyHandler): this {
    this.#rules.push((push, context) => {
      const matched = predicate(push, context)
      if (typeof matched === 'boolean') return matched ? handler(push.message as never, context) : nextRule
      return Promise.resolve(matched).then((yes) => yes ? handler(push.message as never, context) : nextRule)
    })
    return this
  }

  /** Answers the fan's next text after `context.conversation.ask(name, data)`. */
  topic (name: string, handler: TopicHandler): this {
    this.#topics.set(name, handler)
    return this
  }

  /** Adds a set of rules written elsewhere: `.use(weatherRules({ … }))`. */
  use (extend: (router: this) => unknown): this {
    extend(this)
    return this
  }

  /** What answers when no rule does, e.g. `echoBotHandlers(…)`; without one, no reply. */
  fallback (fallback: BotHandlers | Bot): this {
    this.#fallback = typeof fallback === 'function' ? fallback : createBot(fallback)
    return this
  }

  bot (): Bot {
    const rules = [...this.#rules]
    const topics = new Map(this.#topics)
    const fallback = this.#fallback
    return async (push, handlerContext) => {
      const openid = push.message.FromUserName
      const conversation = createConversation({ store: this.#store, openid, ttlMs: this.#ttlMs, log: handlerContext.log })
      const context: RuleContext = { ...handlerContext, push, openid, store: this.#store, conversation }
      if (textOf(push) !== undefined && topics.size > 0) {
        const answer = await answerTopic(await conversation.take(), topics, push.message as TextMessage, context)
        if (answer !== nextRule) return answer
      }
      for (const rule of rules) {
        const answer = rule(push, context)
        if (answer === nextRule) continue
        const settled = await answer
        if (settled !== nextRule) return settled
      }
      return await answerByFallback(fallback, push, handlerContext)
    }
  }

  #text (test: (text: string) => boolean, handler: RuleHandler<TextMessage>): this {
    return this.#add((push) => { const text = textOf(push); return text !== undefined && test(text) }, handler as AnyHandler)
  }
}

/** The rule that asked answers; a topic no rule knows (any more) is dropped. */
async function answerTopic (topic: PendingTopic | null, topics: ReadonlyMap<string, TopicHandler>, message: TextMessage, context: RuleContext): Promise<RuleAnswer> {
  const handler = topic === null ? undefined : topics.get(topic.name)
  return topic === null || handler === undefined ? nextRule : await handler(message, { ...context, topic })
}

export function createRouter (options: RouterOptions): RuleRouter {
  return new RuleRouter(options)
}

/** Who answered a push in a dry run: a rule, or the router's fallback (echo) after every rule passed. */
export interface DryRunAnswer {
  by: 'rule' | 'fallback'
  reply: Reply | undefined
}

// Set on a dry run's context only: the router notes in it that the push reached the fallback.
const FALLBACK_PROBE = Symbol('wemp.fallback-probe')
type ProbedContext = HandlerContext & { [FALLBACK_PROBE]?: { reached: boolean } }

/**
 * Runs a bot on a push and says whether one of its rules answered or the push went past them
 * all to the fallback (`wemp menu check` asks this of every click key). A bot not built by the
 * router has no fallback to tell apart: whatever it answers counts as a rule's answer.
 */
export async function dryRun (bot: Bot, push: InboundPush, context: HandlerContext): Promise<DryRunAnswer> {
  const probe = { reached: false }
  const probed: ProbedContext = { ...context, [FALLBACK_PROBE]: probe }
  const reply = await bot(push, probed)
  return { by: probe.reached ? 'fallback' : 'rule', reply }
}

async function answerByFallback (fallback: Bot | undefined, push: InboundPush, handlerContext: HandlerContext): Promise<Reply | undefined> {
  const probe = (handlerContext as ProbedContext)[FALLBACK_PROBE]
  if (probe !== undefined) probe.reached = true
  return fallback === undefined ? undefined : await fallback(push, handlerContext)
}
