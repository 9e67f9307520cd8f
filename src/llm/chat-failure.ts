import { APIConnectionError, APIError } from 'openai'

/**
 * Why the model gave no answer, as logs may name it: the kind and an HTTP status, never the
 * error's message (a provider's message can quote the prompt).
 */
export type ChatFailureKind = 'timeout' | 'connection' | 'http' | 'refusal' | 'empty' | 'bad-response'

export class ChatFailure extends Error {
  override name = 'ChatFailure'
  readonly kind: ChatFailureKind
  readonly status: number | undefined

  constructor (kind: ChatFailureKind, status?: number) {
    super(status === undefined ? `chat failed: ${kind}` : `chat failed: ${kind} ${status}`)
    this.kind = kind
    this.status = status
  }
}

/**
 * What any error thrown while asking the model means. A timeout is already a ChatFailure: the
 * answer's deadline rejects the moment it fires, before the client's abort error can.
 */
export function chatFailureOf (error: unknown): ChatFailure {
  if (error instanceof ChatFailure) return error
  if (error instanceof APIConnectionError) return new ChatFailure('connection')
  // Past connection failures, an APIError is an HTTP status (400, 401, 429, 5xx…).
  if (error instanceof APIError) return new ChatFailure('http', error.status)
  // A body that is not a chat completion (HTML from a proxy, a truncated JSON).
  return new ChatFailure('bad-response')
}

/** 400 or 422 naming tools: a model or server without tool calls (Ollama says "does not support tools"). */
export function rejectsTools (error: unknown): boolean {
  if (!(error instanceof APIError) || (error.status !== 400 && error.status !== 422)) return false
  return error.param === 'tools' || /tool|function/i.test(error.message)
}

const APOLOGIES: Record<ChatFailureKind, string> = {
  timeout: '抱歉，我想得太久了，请稍后再问我一次。',
  connection: '抱歉，我暂时联系不上，请稍后再试。',
  http: '抱歉，我暂时无法回答，请稍后再试。',
  'bad-response': '抱歉，我暂时无法回答，请稍后再试。',
  empty: '抱歉，这个问题我没能想出答案，换个说法试试？',
  refusal: '抱歉，这个问题我不能回答。'
}

/** The short text a fan gets instead of silence. */
export function apologyFor (kind: ChatFailureKind): string {
  return APOLOGIES[kind]
}
