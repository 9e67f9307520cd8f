import { readFileSync } from 'node:fs'
import { Type, type Static } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { ConfigError, DEVELOPMENT_DEFAULTS, type Config } from '../config.js'
import { DEFAULT_LLM_MAX_TURNS, DEFAULT_LLM_TIMEOUT_MS, LlmSettingsSchema } from '../llm/llm-settings.js'
import { MessageModeSchema } from '../protocol/message-mode.js'
import { ACCOUNT_ID_PATTERN, AccountSettingsSchema, type AccountSettings } from './account-settings.js'

type Env = Record<string, string | undefined>

/** A secret may be written `env:NAME`, so that the file itself can be committed without secrets. */
const ENV_REFERENCE = /^env:([A-Za-z_][A-Za-z0-9_]*)$/
const SECRET_FIELDS = ['token', 'appSecret', 'encodingAesKey', 'previousEncodingAesKey'] as const

/** `llm` as written: the key may be `env:NAME`; the timeout and the memory have defaults. */
const LlmFileSchema = Type.Object({
  ...LlmSettingsSchema.properties,
  apiKey: Type.Optional(Type.String()),
  timeoutMs: Type.Optional(LlmSettingsSchema.properties.timeoutMs),
  maxTurns: Type.Optional(LlmSettingsSchema.properties.maxTurns)
}, { additionalProperties: false })

/** The accounts file as written: messageMode defaults to plain, welcomeText to WECHAT_WELCOME_TEXT. */
export const AccountsFileSchema = Type.Object({
  accounts: Type.Array(Type.Object({
    ...AccountSettingsSchema.properties,
    // Checked as written here; the resolved values are checked against AccountSettingsSchema.
    id: Type.String({ pattern: ACCOUNT_ID_PATTERN }),
    token: Type.String(),
    appSecret: Type.String(),
    encodingAesKey: Type.Optional(Type.String()),
    previousEncodingAesKey: Type.Optional(Type.String()),
    messageMode: Type.Optional(MessageModeSchema),
    welcomeText: Type.Optional(AccountSettingsSchema.properties.welcomeText),
    llm: Type.Optional(LlmFileSchema)
  }, { additionalProperties: false }), { minItems: 1 })
}, { additionalProperties: false })

export type AccountsFile = Static<typeof AccountsFileSchema>

/** Reads and checks WECHAT_ACCOUNTS_FILE; every error names the account and the field, never a value. */
export function readAccountsFile (path: string, config: Config, env: Env): AccountSettings[] {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new ConfigError(`WECHAT_ACCOUNTS_FILE cannot be read (${String((error as { code?: unknown }).code)})`)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new ConfigError('WECHAT_ACCOUNTS_FILE is not JSON')
  }
  return parseAccountsFile(parsed, config, env)
}

/** Checks a parsed accounts file against the schema and the rules every account must meet. */
export function parseAccountsFile (parsed: unknown, config: Config, env: Env): AccountSettings[] {
  const shape = Value.Errors(AccountsFileSchema, parsed).First()
  if (shape !== undefined) throw new ConfigError(`WECHAT_ACCOUNTS_FILE: ${where(parsed, shape.path)}: ${shape.message}`)
  const accounts = (parsed as AccountsFile).accounts.map((entry, index) => {
    const label = `accounts[${index}] (${entry.id})`
    const resolved: Record<string, unknown> = { messageMode: 'plain', welcomeText: config.welcomeText, ...entry }
    for (const field of SECRET_FIELDS) resolveSecret(resolved, field, env, `${label}.${field}`)
    if (entry.llm !== undefined) {
      const llm: Record<string, unknown> = { timeoutMs: DEFAULT_LLM_TIMEOUT_MS, maxTurns: DEFAULT_LLM_MAX_TURNS, ...entry.llm }
      resolveSecret(llm, 'apiKey', env, `${label}.llm.apiKey`)
      resolved.llm = llm
    }
    return checkAccount(resolved, label, config.production)
  })
  for (const key of ['id', 'appId'] as const) {
    const seen = new Set<string>()
    for (const account of accounts) {
      if (seen.has(account[key])) throw new ConfigError(`WECHAT_ACCOUNTS_FILE: two accounts have the ${key} ${key === 'id' ? account.id : `of ${account.id}`}`)
      seen.add(account[key])
    }
  }
  return accounts
}

/** Replaces `env:NAME` in `holder[field]` with the variable's value; a variable unset or empty is an error. */
function resolveSecret (holder: Record<string, unknown>, field: string, env: Env, where: string): void {
  const value = holder[field]
  const reference = typeof value === 'string' ? ENV_REFERENCE.exec(value) : null
  if (reference === null) return
  const name = reference[1] as string
  const fromEnv = env[name]
  if (fromEnv === undefined || fromEnv === '') throw new ConfigError(`WECHAT_ACCOUNTS_FILE: ${where}: ${name} is not set`)
  holder[field] = fromEnv
}

/** The rules the single-account variables follow too (src/config.ts), here for one account of a file. */
export function checkAccount (raw: Record<string, unknown>, label: string, production: boolean): AccountSettings {
  const error = Value.Errors(AccountSettingsSchema, raw).First()
  if (error !== undefined) throw new ConfigError(`WECHAT_ACCOUNTS_FILE: ${label}.${error.path.slice(1).replaceAll('/', '.')}: ${error.message}`)
  const account = raw as AccountSettings
  if (account.messageMode !== 'plain' && account.encodingAesKey === undefined) {
    throw new ConfigError(`WECHAT_ACCOUNTS_FILE: ${label}.encodingAesKey is required in ${account.messageMode} mode`)
  }
  if (production) {
    const defaults: Array<[keyof AccountSettings, string]> = [
      ['token', DEVELOPMENT_DEFAULTS.wechatToken], ['appId', DEVELOPMENT_DEFAULTS.appId], ['appSecret', DEVELOPMENT_DEFAULTS.appSecret],
      ['encodingAesKey', DEVELOPMENT_DEFAULTS.encodingAesKey], ['previousEncodingAesKey', DEVELOPMENT_DEFAULTS.encodingAesKey]
    ]
    for (const [field, value] of defaults) {
      if (account[field] === value) throw new ConfigError(`WECHAT_ACCOUNTS_FILE: ${label}.${field} must not be the development default in production`)
    }
  }
  return account
}

/** `accounts[2] (news).token` from a schema error path such as `/accounts/2/token`. */
function where (parsed: unknown, path: string): string {
  const [, list, index, ...rest] = path.split('/')
  if (list !== 'accounts' || index === undefined) return path === '' ? 'the file' : path.slice(1)
  const id = ((parsed as AccountsFile).accounts[Number(index)] as { id?: unknown } | undefined)?.id
  return `accounts[${index}]${typeof id === 'string' ? ` (${id})` : ''}${rest.length > 0 ? `.${rest.join('.')}` : ''}`
}
