import { OpenAI } from 'openai'
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
