import { Type, type Static } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import { AesKeySchema, LateReplyModeSchema, OriginalIdSchema, WeChatTokenSchema, WelcomeTextSchema } from './protocol/account-fields.js'
import { LLM_VARIABLES, LlmSettingsError, LlmSettingsSchema, readLlmSettings, type LlmSettings } from './llm/llm-settings.js'
import { MessageModeSchema } from './protocol/message-mode.js'

/** Values that let a fresh clone start with no configuration; never accepted in production. */
export const DEVELOPMENT_DEFAULTS = {
  wechatToken: 'wempdevtoken',
  appId: 'wx0000000000000000',
  appSecret: 'wemp-dev-appsecret-000000000000',
  sessionSecret: 'wemp-development-session-secret-change-me',
  encodingAesKey: 'wempDevelopmentEncodingAesKey00000000000000'
} as const

const NonEmpty = Type.String({ minLength: 1 })
const Origin = Type.String({ pattern: '^https?://[^/?#\\s]+$' })
/** An absolute http(s) URL with a path, no fragment (a script's src). */
const ScriptUrl = Type.String({ pattern: '^https?://[^/?#\\s]+/[^#\\s]*$', maxLength: 2048 })

export const ConfigSchema = Type.Object({
  production: Type.Boolean(),
  // Before publicUrl, whose default is built from PORT: a bad PORT is reported as PORT.
  port: Type.Integer({ minimum: 0, maximum: 65535 }),
  wechatToken: WeChatTokenSchema,
  appId: NonEmpty,
  appSecret: NonEmpty,
  /** The account's original id (gh_…); when set, pushes addressed to another account are refused. */
  accountId: Type.Optional(OriginalIdSchema),
  /** WECHAT_ACCOUNTS_FILE: several accounts; the single-account variables above are then unused. */
  accountsFile: Type.Optional(NonEmpty),
  apiBase: Origin,
  oauthBase: Origin,
  publicUrl: Origin,
  sessionSecret: Type.String({ minLength: 32 }),
  signatureMaxAgeSeconds: Type.Integer({ minimum: 0 }),
  welcomeText: WelcomeTextSchema,
  host: NonEmpty,
  logLevel: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l))),
  trustProxy: Type.String(),
  messageMode: MessageModeSchema,
  encodingAesKey: Type.Optional(AesKeySchema),
  encodingAesKeyPrevious: Type.Optional(AesKeySchema),
  redisUrl: Type.Optional(Type.String({ pattern: '^rediss?://' })),
  redisKeyPrefix: Type.String({ maxLength: 64 }),
  tokenApi: Type.Union([Type.Literal('stable'), Type.Literal('classic')]),
  metricsToken: Type.Optional(Type.String({ minLength: 16 })),
  replyDeadlineMs: Type.Integer({ minimum: 500, maximum: 4800 }),
  /** With REDIS_URL: how long a late answer waits for its instance before another one takes it over. */
  lateAnswerLeaseMs: Type.Integer({ minimum: 1000, maximum: 60_000 }),
  weatherApiBase: Origin,
  /** WECHAT_JSSDK_URL: the jweixin script the profile page loads. */
  jssdkUrl: ScriptUrl,
  /** The account `default`'s model, from the LLM_* variables (src/llm/llm-settings.ts). */
  llm: Type.Optional(LlmSettingsSchema),
  /** LATE_REPLY_MODE of the account `default`; absent: auto. */
  lateReplyMode: Type.Optional(LateReplyModeSchema),
  /** /readyz says 503 above this mean event-loop delay (ms) or share of the heap limit (%); 0: not checked. */
  readyMaxEventLoopDelayMs: Type.Integer({ minimum: 0 }),
  readyMaxHeapPercent: Type.Integer({ minimum: 0, maximum: 100 }),
  /** Requests per client and window on each rate-limited web route; 0: no limit. */
  webRateLimitMax: Type.Integer({ minimum: 0 }),
  webRateLimitWindowSeconds: Type.Integer({ minimum: 1 }),
  /** Pushes only from WeChat's callback addresses (getcallbackip), refreshed this often. */
  wechatCallbackIpCheck: Type.Boolean(),
  wechatCallbackIpRefreshSeconds: Type.Integer({ minimum: 1 })
})

export type Config = Static<typeof ConfigSchema>

type Env = Record<string, string | undefined>

/** Each setting: its variable, whether production must set it, and its default. */
const SETTINGS = [
  { key: 'wechatToken', account: true, env: 'WECHAT_TOKEN', required: true, fallback: () => DEVELOPMENT_DEFAULTS.wechatToken },
  { key: 'appId', account: true, env: 'WECHAT_APPID', required: true, fallback: () => DEVELOPMENT_DEFAULTS.appId },
  { key: 'appSecret', account: true, env: 'WECHAT_APPSECRET', required: true, fallback: () => DEVELOPMENT_DEFAULTS.appSecret },
  { key: 'accountId', account: true, env: 'WECHAT_ACCOUNT_ID', required: false, fallback: () => undefined },
  { key: 'apiBase', env: 'WECHAT_API_BASE', required: false, fallback: (env: Env) => sandboxOr(env, 'https://api.weixin.qq.com') },
  { key: 'oauthBase', env: 'WECHAT_OAUTH_BASE', required: false, fallback: (env: Env) => sandboxOr(env, 'https://open.weixin.qq.com') },
  { key: 'publicUrl', env: 'PUBLIC_URL', required: false, fallback: (env: Env) => `http://localhost:${env.PORT ?? '3000'}` },
  { key: 'sessionSecret', env: 'SESSION_SECRET', required: true, fallback: () => DEVELOPMENT_DEFAULTS.sessionSecret },
  { key: 'signatureMaxAgeSeconds', env: 'SIGNATURE_MAX_AGE_SECONDS', required: false, fallback: () => '300' },
  { key: 'welcomeText', env: 'WECHAT_WELCOME_TEXT', required: false, fallback: () => '欢迎关注！发送“北京天气”或你的位置查天气，其他消息我会原样回复你。' },
  { key: 'port', env: 'PORT', required: false, fallback: () => '3000' },
  { key: 'host', env: 'HOST', required: false, fallback: () => '0.0.0.0' },
  { key: 'logLevel', env: 'LOG_LEVEL', required: false, fallback: () => 'info' },
  { key: 'trustProxy', env: 'TRUST_PROXY', required: false, fallback: () => 'loopback' },
  { key: 'messageMode', account: true, env: 'WECHAT_MESSAGE_MODE', required: false, fallback: () => 'plain' },
  // Required by validateConfig only outside plain mode; the sandbox shares this development key.
  { key: 'encodingAesKey', account: true, env: 'WECHAT_ENCODING_AES_KEY', required: false, fallback: (env: Env) => env.NODE_ENV === 'production' ? undefined : DEVELOPMENT_DEFAULTS.encodingAesKey },
  { key: 'encodingAesKeyPrevious', account: true, env: 'WECHAT_ENCODING_AES_KEY_PREVIOUS', required: false, fallback: () => undefined },
  { key: 'redisUrl', env: 'REDIS_URL', required: false, fallback: () => undefined },
  { key: 'redisKeyPrefix', env: 'REDIS_KEY_PREFIX', required: false, fallback: () => 'wemp:' },
  { key: 'tokenApi', env: 'WECHAT_TOKEN_API', required: false, fallback: () => 'stable' },
  { key: 'metricsToken', env: 'METRICS_TOKEN', required: false, fallback: () => undefined },
  { key: 'replyDeadlineMs', env: 'REPLY_DEADLINE_MS', required: false, fallback: () => '4500' },
  { key: 'lateAnswerLeaseMs', env: 'LATE_ANSWER_LEASE_MS', required: false, fallback: () => '5000' },
  { key: 'weatherApiBase', env: 'WEATHER_API_BASE', required: false, fallback: () => 'https://api.open-meteo.com' },
  { key: 'accountsFile', env: 'WECHAT_ACCOUNTS_FILE', required: false, fallback: () => undefined },
  { key: 'jssdkUrl', env: 'WECHAT_JSSDK_URL', required: false, fallback: (env: Env) => jssdkUrlFallback(env) },
  { key: 'lateReplyMode', account: true, env: 'LATE_REPLY_MODE', required: false, fallback: () => undefined },
  { key: 'readyMaxEventLoopDelayMs', env: 'READY_MAX_EVENT_LOOP_DELAY_MS', required: false, fallback: () => '1000' },
  { key: 'readyMaxHeapPercent', env: 'READY_MAX_HEAP_PERCENT', required: false, fallback: () => '90' },
  { key: 'webRateLimitMax', env: 'WEB_RATE_LIMIT_MAX', required: false, fallback: () => '60' },
  { key: 'webRateLimitWindowSeconds', env: 'WEB_RATE_LIMIT_WINDOW_SECONDS', required: false, fallback: () => '60' },
  { key: 'wechatCallbackIpCheck', env: 'WECHAT_CALLBACK_IP_CHECK', required: false, fallback: () => 'off' },
  { key: 'wechatCallbackIpRefreshSeconds', env: 'WECHAT_CALLBACK_IP_REFRESH_SECONDS', required: false, fallback: () => '3600' }
] as const

/** The single-account variables: they describe the account `default`, unless a file lists the accounts. */
const accountSetting = (setting: typeof SETTINGS[number]): boolean => 'account' in setting

/** Where `npm run sandbox` serves its fake WeChat API and authorize page. */
export const SANDBOX_ORIGIN = 'http://127.0.0.1:3100'

/**
 * A development start with no AppID of its own cannot use WeChat's real API anyway: it talks to
 * the local sandbox instead, so `npm start` and `npm run sandbox` work together unconfigured.
 */
function sandboxOr (env: Env, wechatOrigin: string): string {
  return env.NODE_ENV !== 'production' && (env.WECHAT_APPID ?? '') === '' && (env.WECHAT_ACCOUNTS_FILE ?? '') === '' ? SANDBOX_ORIGIN : wechatOrigin
}

/** Where res.wx.qq.com serves the JS-SDK; the sandbox's stand-in keeps the path. */
export const JSSDK_SCRIPT_PATH = '/open/js/jweixin-1.6.0.js'
export const WECHAT_JSSDK_URL = `https://res.wx.qq.com${JSSDK_SCRIPT_PATH}`

/**
 * The sandbox's stand-in JS-SDK when, in development, the API goes to the sandbox (by default or
 * by WECHAT_API_BASE): its wx.config is checked against the sandbox's own jsapi_ticket, which the
 * real SDK would refuse.
 */
function jssdkUrlFallback (env: Env): string {
  const apiBase = (env.WECHAT_API_BASE ?? '') === '' ? sandboxOr(env, 'https://api.weixin.qq.com') : env.WECHAT_API_BASE
  return env.NODE_ENV !== 'production' && apiBase === SANDBOX_ORIGIN ? `${SANDBOX_ORIGIN}${JSSDK_SCRIPT_PATH}` : WECHAT_JSSDK_URL
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

export interface LoadedConfig {
  config: Config
  /** Variables that fell back to a development default (to be announced loudly). */
  developmentDefaults: string[]
}

/** Builds the config from an environment map; throws ConfigError naming the variable at fault. */
export function loadConfig (env: Env): LoadedConfig {
  const production = env.NODE_ENV === 'production'
  const raw: Record<string, unknown> = { production }
  const developmentDefaults: string[] = []
  const fromFile = (env.WECHAT_ACCOUNTS_FILE ?? '') !== ''
  for (const setting of SETTINGS) {
    const value = env[setting.env]
    if (fromFile && accountSetting(setting)) {
      // Two sources for one account's secrets would leave the reader guessing which one is live.
      if (value !== undefined && value !== '') throw new ConfigError(`${setting.env} is set beside WECHAT_ACCOUNTS_FILE: describe every account in the file`)
      raw[setting.key] = setting.fallback(env)
      continue
    }
    if (value !== undefined && value !== '') {
      raw[setting.key] = value
      continue
    }
    if (production && setting.required) throw new ConfigError(`${setting.env} is required when NODE_ENV=production`)
    raw[setting.key] = setting.fallback(env)
    if (setting.required) developmentDefaults.push(setting.env)
  }
  raw.llm = llmOf(env, fromFile)
  for (const key of INTEGER_KEYS) raw[key] = toInteger(raw[key])
  raw.wechatCallbackIpCheck = toBoolean(raw.wechatCallbackIpCheck)
  for (const [key, value] of Object.entries(raw)) if (value === undefined) delete raw[key]
  return { config: validateConfig(raw), developmentDefaults }
}

/** Checks a config object (from loadConfig or a test) against the schema and the production rules. */
export function validateConfig (raw: unknown): Config {
  const error = Value.Errors(ConfigSchema, raw).First()
  if (error !== undefined) {
    const field = error.path.replace(/^\//, '')
    const variable = SETTINGS.find((s) => s.key === field)?.env ?? LLM_VARIABLES[field.replace(/^llm\//, '') as keyof LlmSettings] ?? field
    throw new ConfigError(`${variable} is invalid: ${error.message}`)
  }
  const config = raw as Config
  // With an accounts file, the file's own checks (src/accounts/accounts-file.ts) cover every account.
  const single = config.accountsFile === undefined
  if (single && config.messageMode !== 'plain' && config.encodingAesKey === undefined) {
    throw new ConfigError(`WECHAT_ENCODING_AES_KEY is required when WECHAT_MESSAGE_MODE=${config.messageMode}`)
  }
  if (config.production) {
    if (single && config.encodingAesKeyPrevious === DEVELOPMENT_DEFAULTS.encodingAesKey) {
      throw new ConfigError('WECHAT_ENCODING_AES_KEY_PREVIOUS must not be the development default in production')
    }
    const defaults: Record<string, string> = DEVELOPMENT_DEFAULTS
    for (const setting of SETTINGS) {
      if (!single && accountSetting(setting)) continue
      if (defaults[setting.key] !== undefined && config[setting.key] === defaults[setting.key]) {
        throw new ConfigError(`${setting.env} must not be the development default in production`)
      }
    }
  }
  return config
}

/** The LLM_* variables, which describe the account `default` like the other single-account ones. */
function llmOf (env: Env, fromFile: boolean): LlmSettings | undefined {
  if (fromFile) {
    const beside = Object.values(LLM_VARIABLES).find((name) => (env[name] ?? '') !== '')
    if (beside !== undefined) throw new ConfigError(`${beside} is set beside WECHAT_ACCOUNTS_FILE: describe every account's model in the file`)
    return undefined
  }
  try {
    return readLlmSettings(env)
  } catch (error) {
    // Already names the variable, never the value.
    throw new ConfigError((error as LlmSettingsError).message)
  }
}

const INTEGER_KEYS = ['signatureMaxAgeSeconds', 'port', 'replyDeadlineMs', 'readyMaxEventLoopDelayMs', 'readyMaxHeapPercent',
  'webRateLimitMax', 'webRateLimitWindowSeconds', 'wechatCallbackIpRefreshSeconds', 'lateAnswerLeaseMs']

/** on/off (or true/false, 1/0); anything else stays a string for the schema to name. */
function toBoolean (value: unknown): unknown {
  if (value === 'on' || value === 'true' || value === '1') return true
  if (value === 'off' || value === 'false' || value === '0') return false
  return value
}

function toInteger (value: unknown): unknown {
  return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value
}
