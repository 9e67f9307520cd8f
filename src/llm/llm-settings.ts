import { Type, type Static } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'

export const DEFAULT_LLM_TIMEOUT_MS = 60_000
export const DEFAULT_LLM_MAX_TURNS = 10

/** One account's language model: any OpenAI-compatible chat-completions endpoint. */
export const LlmSettingsSchema = Type.Object({
  /** e.g. https://api.deepseek.com/v1, http://127.0.0.1:11434/v1 (Ollama). */
  baseUrl: Type.String({ pattern: '^https?://[^\\s?#]+$' }),
  /** Absent for a local server that wants none: then no Authorization header is sent. */
  apiKey: Type.Optional(Type.String({ minLength: 1 })),
  model: Type.String({ minLength: 1, maxLength: 200 }),
  systemPrompt: Type.Optional(Type.String({ minLength: 1, maxLength: 8000 })),
  /** The whole answer, tool rounds included. */
  timeoutMs: Type.Integer({ minimum: 1000, maximum: 600_000 }),
  /** How many exchanges (the fan's text and the answer) are remembered per fan; 0 for none. */
  maxTurns: Type.Integer({ minimum: 0, maximum: 50 })
}, { additionalProperties: false })

export type LlmSettings = Static<typeof LlmSettingsSchema>

/** Names the variable at fault and why, never its value (a key or a prompt). */
export class LlmSettingsError extends Error {
  override name = 'LlmSettingsError'
}

/** Each setting's variable, for errors that name the variable rather than the field. */
export const LLM_VARIABLES: Readonly<Record<keyof LlmSettings, string>> = {
  baseUrl: 'LLM_BASE_URL',
  apiKey: 'LLM_API_KEY',
  model: 'LLM_MODEL',
  systemPrompt: 'LLM_SYSTEM_PROMPT',
  timeoutMs: 'LLM_TIMEOUT_MS',
  maxTurns: 'LLM_MAX_TURNS'
}

const DEFAULTS: Partial<Record<keyof LlmSettings, number>> = { timeoutMs: DEFAULT_LLM_TIMEOUT_MS, maxTurns: DEFAULT_LLM_MAX_TURNS }
const INTEGERS = new Set<keyof LlmSettings>(['timeoutMs', 'maxTurns'])

/**
 * The LLM settings from an environment-like map (one account's `LLM_*` variables); undefined when
 * LLM_BASE_URL is unset or empty, so an account without a model keeps rules, weather and echo.
 * An empty variable counts as unset. Throws LlmSettingsError for a bad value.
 */
export function readLlmSettings (env: Readonly<Record<string, string | undefined>>): LlmSettings | undefined {
  if ((env.LLM_BASE_URL ?? '') === '') return undefined
  const raw: Record<string, unknown> = {}
  for (const [key, variable] of Object.entries(LLM_VARIABLES) as Array<[keyof LlmSettings, string]>) {
    const value = env[variable]
    if (value === undefined || value === '') {
      if (DEFAULTS[key] !== undefined) raw[key] = DEFAULTS[key]
      continue
    }
    // A non-digit string is kept as it is, so the schema reports it as "Expected integer".
    raw[key] = INTEGERS.has(key) && /^\d{1,9}$/.test(value) ? Number(value) : value
  }
  const error = Value.Errors(LlmSettingsSchema, raw).First()
  if (error !== undefined) {
    // Every property is a top-level one: the path is `/<key>`. The message quotes the rule, never the value.
    const variable = LLM_VARIABLES[error.path.slice(1) as keyof LlmSettings]
    throw new LlmSettingsError(`${variable} is invalid: ${error.message}`)
  }
  return raw as LlmSettings
}
