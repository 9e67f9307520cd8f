import type { AccountSettings } from '../src/accounts/account-settings.js'
import { configuredAccounts } from '../src/accounts/configured-accounts.js'
import { ConfigError, JSSDK_SCRIPT_PATH, loadConfig, SANDBOX_ORIGIN } from '../src/config.js'
import { parseEncodingAesKey } from '../src/protocol/aes-key.js'
import { parseSendArgs, SEND_USAGE } from './cli-args.js'
import { runExchange } from './exchange.js'
import { defaultFans } from './platform/fans.js'
import { describeExchange } from './reply-text.js'
import { DEFAULT_ACCOUNT_ID, startSandbox } from './sandbox-app.js'
import type { RunningSandbox, SandboxAccountOptions, SandboxOptions } from './sandbox-app.js'

export interface ProgramIo {
  stdout: { write(text: string): unknown }
  stderr: { write(text: string): unknown }
}

/** Test seams for WeChat's timing (5 s, 3 retries) and nothing else. */
export interface ProgramTiming {
  timeoutMs?: number
  retries?: number
}

type Env = Record<string, string | undefined>

export const USAGE = `usage: wemp-sandbox [serve]     the chat console, authorize page and WeChat API on SANDBOX_HOST:SANDBOX_PORT
       wemp-sandbox send ...     one signed push to a server (wemp-sandbox send --help)
${SEND_USAGE}`

export const EXIT = { ok: 0, invalidReply: 1, late: 2, usage: 64, config: 78 } as const

/**
 * Everything the sandbox reads from the environment: the server's variables (one account, or
 * WECHAT_ACCOUNTS_FILE's) plus its own. SANDBOX_SERVER_URL is the server's `/wechat`: the
 * account `default` is pushed to there, every other account to `/wechat/<id>` below it.
 */
export function sandboxSettings (env: Env): { options: SandboxOptions, host: string, port: number } {
  const { config } = loadConfig(env)
  const port = Number(env.SANDBOX_PORT ?? '3100')
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError('SANDBOX_PORT is invalid: expected a port number')
  const serverUrl = (env.SANDBOX_SERVER_URL ?? 'http://127.0.0.1:3000/wechat').replace(/\/+$/, '')
  const [first, ...others] = configuredAccounts(config, env).map((account) => sandboxAccount(account, serverUrl))
  const { name: _name, ...primary } = first as SandboxAccountOptions
  return {
    host: env.SANDBOX_HOST ?? '127.0.0.1',
    port,
    options: { ...primary, ...(others.length > 0 && { accounts: others }) }
  }
}

function sandboxAccount (account: AccountSettings, serverUrl: string): SandboxAccountOptions {
  return {
    id: account.id,
    token: account.token,
    appId: account.appId,
    appSecret: account.appSecret,
    ...(account.encodingAesKey === undefined ? {} : { encodingAesKey: account.encodingAesKey }),
    mode: account.messageMode,
    serverUrl: account.id === 'default' ? serverUrl : `${serverUrl}/${account.id}`,
    accountId: account.accountId ?? DEFAULT_ACCOUNT_ID
  }
}

/**
 * The wemp-sandbox program: `send` runs one exchange and returns its exit code; no command (or
 * `serve`) starts the sandbox and returns it running, for main.ts to close on a signal.
 */
export async function runProgram (args: string[], env: Env, io: ProgramIo, timing: ProgramTiming = {}): Promise<number | RunningSandbox> {
  const [command = 'serve', ...rest] = args
  if (command === 'help' || command === '--help' || rest.includes('--help')) {
    io.stdout.write(`${USAGE}\n`)
    return EXIT.ok
  }
  if (command !== 'serve' && command !== 'send') {
    io.stderr.write(`wemp-sandbox: unknown command ${command}\n${USAGE}\n`)
    return EXIT.usage
  }
  let settings
  try {
    settings = sandboxSettings(env)
  } catch (error) {
    io.stderr.write(`wemp-sandbox: ${(error as Error).message}\n`)
    return EXIT.config
  }
  return command === 'send' ? await send(rest, settings.options, io, timing) : await serve(settings, io, timing)
}

async function send (args: string[], options: SandboxOptions, io: ProgramIo, timing: ProgramTiming): Promise<number> {
  const parsed = parseSendArgs(args)
  if (!parsed.ok) {
    io.stderr.write(`wemp-sandbox send: ${parsed.error}\n${SEND_USAGE}\n`)
    return EXIT.usage
  }
  const { command } = parsed
  // sandboxSettings builds the first account's options with its id, as every other account's.
  const accounts = [options as SandboxAccountOptions, ...(options.accounts ?? [])]
  const account = command.account === undefined ? accounts[0] : accounts.find((a) => a.id === command.account)
  if (account === undefined) {
    io.stderr.write(`wemp-sandbox send: no account ${command.account as string} (the accounts: ${accounts.map((a) => a.id).join(', ')})\n`)
    return EXIT.usage
  }
  const exchange = await runExchange({
    serverUrl: command.server ?? account.serverUrl,
    mode: command.mode ?? account.mode,
    secrets: { token: account.token, appId: account.appId, ...(account.encodingAesKey === undefined ? {} : { aesKey: parseEncodingAesKey(account.encodingAesKey) }) },
    accountId: account.accountId as string,
    openid: command.from ?? (defaultFans()[0] as { openid: string }).openid,
    action: command.action,
    ...timing
  })
  const report = describeExchange(exchange, command.raw)
  const { kind } = exchange.result
  if (kind === 'reply' || kind === 'silent') {
    io.stdout.write(report)
    return EXIT.ok
  }
  io.stderr.write(report)
  return kind === 'invalid' ? EXIT.invalidReply : EXIT.late
}

async function serve (settings: ReturnType<typeof sandboxSettings>, io: ProgramIo, timing: ProgramTiming): Promise<RunningSandbox> {
  const sandbox = await startSandbox({ ...settings.options, ...timing, host: settings.host, port: settings.port })
  const { options } = settings
  io.stdout.write([
    `wemp sandbox: ${sandbox.url}`,
    `  chat console        ${sandbox.url}/`,
    `  pushes go to        ${options.serverUrl} (${options.mode} mode, token and AppID ${options.appId} as configured)`,
    ...(options.accounts ?? []).map((account) => `    and for ${account.id}  ${account.serverUrl} (${account.mode} mode, AppID ${account.appId})`),
    `  point the server at WECHAT_API_BASE=${sandbox.url} WECHAT_OAUTH_BASE=${sandbox.url}`,
    `  JS-SDK stand-in     WECHAT_JSSDK_URL=${sandbox.url}${JSSDK_SCRIPT_PATH} (the server's default while its API is the sandbox on ${SANDBOX_ORIGIN})`,
    ''
  ].join('\n'))
  return sandbox
}
