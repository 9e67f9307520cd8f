import type { APIError, OpenAI } from 'openai'
import type { ChatCompletion, ChatCompletionMessage, ChatCompletionMessageParam, ChatCompletionMessageToolCall } from 'openai/resources/chat/completions'
import type { Logger as BotLogger } from '../logger.js'
import { ChatFailure } from './chat-failure.js'
import type { ChatTool } from './chat-tool.js'
import type { LlmSettings } from './llm-settings.js'

/** Rounds of tool calls before the model must answer in words (one more request, tool_choice none). */
export const MAX_TOOL_ROUNDS = 3
/** Calls the model may make in one round; the rest are told they were not run. */
export const MAX_TOOL_CALLS_PER_ROUND = 8
/** After an endpoint rejects tools, they are offered again only this much later (a new model, a fixed server). */
export const TOOLS_RETRY_AFTER_MS = 60 * 60 * 1000

export const UNKNOWN_TOOL_TEXT = '没有这个工具。'
export const TOOL_FAILED_TEXT = '工具出错了，没有结果。'
export const TOO_MANY_CALLS_TEXT = '这一轮调用太多，未执行。'

export interface ChatAnswer {
  text: string
  /** Requests made to the endpoint, the retry without tools included. */
  requests: number
  toolCalls: number
  promptTokens: number
  completionTokens: number
  finishReason: string
}

export interface ChatRequest {
  messages: ChatCompletionMessageParam[]
  tools: readonly ChatTool[]
  log: BotLogger
}

export interface LlmChat {
  /** The model's answer; rejects only with a ChatFailure, by LLM_TIMEOUT_MS at the latest. */
  answer(request: ChatRequest): Promise<ChatAnswer>
}

export interface LlmChatOptions {
  settings: LlmSettings
  maxRetries?: number
  now?: () => number
}

async function runTool (tools: readonly ChatTool[], call: ChatCompletionMessageToolCall): Promise<string> {
  const tool = call.type === 'function' ? tools.find((t) => t.definition.function.name === call.function.name) : undefined
  if (tool === undefined || call.type !== 'function') return UNKNOWN_TOOL_TEXT
  try {
    return await tool.run(call.function.arguments)
  } catch {
    return TOOL_FAILED_TEXT
  }
}

/** Rejects with a timeout when the signal fires; a rejection nobody awaits any more is harmless. */
function deadlineOf (signal: AbortSignal): Promise<never> {
  const fired = new Promise<never>((_resolve, reject) => {
    signal.addEventListener('abort', () => { reject(new ChatFailure('timeout')) }, { once: true })
  })
  fired.catch(() => {})
  return fired
}

type OfficialClient = typeof import('./openai-client.js')
let official: Promise<OfficialClient> | undefined

/**
 * The official package costs the server about 4 MB of idle resident memory, so it is loaded only for
 * accounts with a model: at start when one has (app.ts waits for it), else with the first question
 * of an account added later.
 */
export async function loadOfficialClient (): Promise<OfficialClient> {
  return await (official ??= import('./openai-client.js'))
}

/** One account's model: the tool-call loop over the official client, with a fallback for endpoints without tools. */
export function createLlmChat ({ settings, maxRetries, now = Date.now }: LlmChatOptions): LlmChat {
  let client: OpenAI | undefined
  const connect = async (): Promise<{ client: OpenAI, sdk: OfficialClient }> => {
    const sdk = await loadOfficialClient()
    client ??= sdk.createOpenAiClient(settings, maxRetries)
    return { client, sdk }
  }
  let toolsRejectedAt: number | undefined

  const toolsWelcome = (): boolean => toolsRejectedAt === undefined || now() - toolsRejectedAt >= TOOLS_RETRY_AFTER_MS

  async function complete (messages: ChatCompletionMessageParam[], tools: readonly ChatTool[], last: boolean, signal: AbortSignal, log: BotLogger, stats: ChatAnswer): Promise<ChatCompletion> {
    stats.requests++
    const { client, sdk } = await connect()
    if (tools.length === 0) return await client.chat.completions.create({ model: settings.model, messages }, { signal })
    try {
      return await client.chat.completions.create({
        model: settings.model,
        messages,
        tools: tools.map((tool) => tool.definition),
        tool_choice: last ? 'none' : 'auto'
      }, { signal })
    } catch (error) {
      if (!sdk.rejectsTools(error)) throw error
      toolsRejectedAt = now()
      log.warn({ status: (error as APIError).status }, 'the model endpoint rejects tools: answering without them for a while')
      stats.requests++
      return await client.chat.completions.create({ model: settings.model, messages }, { signal })
    }
  }

  /** The completion's message, or the failure it stands for. */
  function read (completion: ChatCompletion, stats: ChatAnswer): ChatCompletionMessage {
    if (!Array.isArray((completion as Partial<ChatCompletion> | null)?.choices)) throw new ChatFailure('bad-response')
    stats.promptTokens += completion.usage?.prompt_tokens ?? 0
    stats.completionTokens += completion.usage?.completion_tokens ?? 0
    const choice = completion.choices[0]
    if (choice === undefined) throw new ChatFailure('empty')
    stats.finishReason = choice.finish_reason
    if ((choice.message.refusal ?? '') !== '' || choice.finish_reason === 'content_filter') throw new ChatFailure('refusal')
    return choice.message
  }

  async function loop ({ messages, tools, log }: ChatRequest, signal: AbortSignal): Promise<ChatAnswer> {
    const conversation = [...messages]
    const stats: ChatAnswer = { text: '', requests: 0, toolCalls: 0, promptTokens: 0, completionTokens: 0, finishReason: '' }
    let offered: readonly ChatTool[] = []
    const ask = async (round: number): Promise<ChatCompletionMessage> => {
      offered = toolsWelcome() ? tools : []
      return read(await complete(conversation, offered, round >= MAX_TOOL_ROUNDS, signal, log, stats), stats)
    }
    // Tools the endpoint has just rejected were not offered after all: no call is run then.
    const callsIn = (message: ChatCompletionMessage): ChatCompletionMessageToolCall[] =>
      offered.length > 0 && toolsWelcome() ? message.tool_calls ?? [] : []

    let message = await ask(0)
    for (let round = 1; round <= MAX_TOOL_ROUNDS && callsIn(message).length > 0; round++) {
      const calls = callsIn(message)
      conversation.push({ role: 'assistant', content: message.content, tool_calls: calls })
      // One after another: the second day of one city then comes from the forecast cache.
      for (const [index, call] of calls.entries()) {
        const content = index < MAX_TOOL_CALLS_PER_ROUND ? await runTool(offered, call) : TOO_MANY_CALLS_TEXT
        if (index < MAX_TOOL_CALLS_PER_ROUND) stats.toolCalls++
        conversation.push({ role: 'tool', tool_call_id: call.id, content })
      }
      message = await ask(round)
    }
    const text = message.content?.trim() ?? ''
    if (text === '') throw new ChatFailure('empty')
    return { ...stats, text }
  }

  return {
    async answer (request) {
      const signal = AbortSignal.timeout(settings.timeoutMs)
      try {
        return await Promise.race([loop(request, signal), deadlineOf(signal)])
      } catch (error) {
        throw (await connect()).sdk.chatFailureOf(error)
      }
    }
  }
}
