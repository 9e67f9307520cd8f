import { APIConnectionError, APIError, OpenAI } from 'openai'
import { ChatFailure } from './chat-failure.js'
import type { LlmSettings } from './llm-settings.js'

/** One retry of a dropped connection or a 5xx; the answer's own deadline bounds the whole. */
export const DEFAULT_LLM_MAX_RETRIES = 1

/** Stands in for a key a local server does not want; the Authorization header is then removed. */
const NO_KEY = 'unused'

/**
 * The official client for one account's endpoint. Everything the package would otherwise read
 * from the process environment is set here: another account's OPENAI_API_KEY, organisation or
 * project must never reach this endpoint, and OPENAI_LOG=debug must never print prompts.
 */
export function createOpenAiClient (settings: LlmSettings, maxRetries: number = DEFAULT_LLM_MAX_RETRIES): OpenAI {
  return new OpenAI({
    baseURL: settings.baseUrl,
    apiKey: settings.apiKey ?? NO_KEY,
    ...(settings.apiKey === undefined && { defaultHeaders: { Authorization: null } }),
    adminAPIKey: null,
    organization: null,
    project: null,
    webhookSecret: null,
    timeout: settings.timeoutMs,
    maxRetries,
    logLevel: 'off'
  })
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
