import { reply } from '../protocol/reply.js'
import { apologyFor, type ChatFailure } from '../llm/chat-failure.js'
import { chatMessages } from '../llm/chat-prompt.js'
import { createFanMemory, type FanMemory } from '../llm/fan-memory.js'
import { CONTINUE_NOTICE, CONTINUE_NOTICE_BYTES, CONTINUE_WORD, createHeldParts, type HeldParts } from '../llm/held-parts.js'
import { createLlmChat, type ChatAnswer } from '../llm/llm-chat.js'
import type { LlmSettings } from '../llm/llm-settings.js'
import { PASSIVE_TEXT_MAX_BYTES, splitUtf8, utf8Bytes } from '../llm/split-text.js'
import { weatherTool } from '../llm/weather-tool.js'
import type { TextMessage } from '../protocol/inbound-schemas.js'
import { nextRule, type RuleAnswer, type RuleContext, type RuleRouter } from './rule-router.js'
import { skillFor } from './weather-rules.js'

/** The rest of an answer too long for one passive reply: every part fits one text message. */
export interface Overflow {
  openid: string
  parts: string[]
}

/**
 * Told about the rest of a long answer before the first part is returned as the reply. True: it
 * will deliver the parts (as customer-service messages, after the reply: enqueue, don't send
 * here). False, absent or failing: they are held for the fan's "继续" and the reply says so.
 */
export type OverflowHook = (overflow: Overflow, context: RuleContext) => boolean | Promise<boolean>

export interface LlmRulesOptions {
  settings: LlmSettings
  /** WEATHER_API_BASE: the model is offered get_weather(city, day); without it, no tools. */
  weatherBaseUrl?: string
  weatherTimeoutMs?: number
  now?: () => Date
  memoryTtlMs?: number
  heldPartsTtlMs?: number
  maxRetries?: number
  onOverflow?: OverflowHook
}

export const RESET_WORDS = ['/reset', '清除记忆'] as const
export const RESET_TEXT = '好的，之前的对话我已经忘了，我们重新开始吧。'
export const RESET_FAILED_TEXT = '抱歉，暂时没能清除记忆，请稍后再试。'

/**
 * The language model as rules: /reset (清除记忆) forgets the fan's conversation, "继续" sends the
 * next part of a long answer, and every other text is answered by the model with the fan's last
 * turns. Use it last, after the rules that should win (menu keys, keywords, the weather rules).
 */
export function llmRules (options: LlmRulesOptions): (router: RuleRouter) => void {
  const { settings } = options
  const now = options.now ?? (() => new Date())
  const chat = createLlmChat({ settings, ...(options.maxRetries !== undefined && { maxRetries: options.maxRetries }), now: () => now().getTime() })
  const memoryOf = (context: RuleContext): FanMemory => createFanMemory({
    store: context.store, openid: context.openid, maxTurns: settings.maxTurns, log: context.log,
    ...(options.memoryTtlMs !== undefined && { ttlMs: options.memoryTtlMs })
  })
  const heldOf = (context: RuleContext): HeldParts => createHeldParts({
    store: context.store, openid: context.openid, log: context.log,
    ...(options.heldPartsTtlMs !== undefined && { ttlMs: options.heldPartsTtlMs })
  })

  /** The reply: the first part, and the rest with the hook or held for "继续". */
  async function firstPart (text: string, context: RuleContext): Promise<{ first: string, parts: number }> {
    const held = heldOf(context)
    // Every part leaves room for the notice, so the rest may be held whatever the hook says.
    const parts = utf8Bytes(text) <= PASSIVE_TEXT_MAX_BYTES ? [text] : splitUtf8(text, PASSIVE_TEXT_MAX_BYTES - CONTINUE_NOTICE_BYTES)
    const [first, ...rest] = parts as [string, ...string[]]
    if (rest.length === 0 || await handedOver(rest, context)) {
      // A new answer makes the rest of an older one meaningless.
      await held.drop()
      return { first, parts: parts.length }
    }
    return { first: await held.hold(rest) ? `${first}${CONTINUE_NOTICE}` : first, parts: parts.length }
  }

  async function handedOver (rest: string[], context: RuleContext): Promise<boolean> {
    if (options.onOverflow === undefined) return false
    try {
      return await options.onOverflow({ openid: context.openid, parts: rest }, context)
    } catch (error) {
      context.log.warn({ errorType: (error as Error).name }, 'the overflow hook failed; the rest waits for 继续')
      return false
    }
  }

  async function answer (message: TextMessage, context: RuleContext): Promise<RuleAnswer> {
    const text = message.Content.trim()
    if (text === '') return nextRule
    const started = performance.now()
    const memory = memoryOf(context)
    const turns = await memory.recall()
    const tools = options.weatherBaseUrl === undefined
      ? []
      : [weatherTool(skillFor({ baseUrl: options.weatherBaseUrl, now, ...(options.weatherTimeoutMs !== undefined && { timeoutMs: options.weatherTimeoutMs }) }, context))]
    let answered: ChatAnswer
    try {
      answered = await chat.answer({ messages: chatMessages({ systemPrompt: settings.systemPrompt, turns, text, now: now() }), tools, log: context.log })
    } catch (error) {
      const { kind, status } = error as ChatFailure
      context.log.warn({ kind, status, ms: Math.round(performance.now() - started), inputLength: text.length }, 'the model gave no answer; the fan gets an apology')
      return reply.text(apologyFor(kind))
    }
    await memory.remember({ user: text, assistant: answered.text })
    const { first, parts } = await firstPart(answered.text, context)
    const { requests, toolCalls, promptTokens, completionTokens, finishReason } = answered
    context.log.info({
      inputLength: text.length, historyTurns: turns.length, answerLength: answered.text.length, answerBytes: utf8Bytes(answered.text),
      parts, ms: Math.round(performance.now() - started), requests, toolCalls, promptTokens, completionTokens, finishReason
    }, 'the model answered')
    return reply.text(first)
  }

  return (router) => {
    router
      .keyword(RESET_WORDS, async (_message, context) => {
        const forgotten = await memoryOf(context).forget()
        await heldOf(context).drop()
        return reply.text(forgotten ? RESET_TEXT : RESET_FAILED_TEXT)
      })
      .keyword(CONTINUE_WORD, async (_message, context) => {
        const next = await heldOf(context).next()
        return next === null ? nextRule : reply.text(next)
      })
      .on('text', answer)
  }
}
