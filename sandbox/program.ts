import { ConfigError, JSSDK_SCRIPT_PATH, loadConfig, SANDBOX_ORIGIN } from '../src/config.js'
import { parseEncodingAesKey } from '../src/protocol/aes-key.js'
import { parseSendArgs, SEND_USAGE } from './cli-args.js'
import { runExchange } from './exchange.js'
import { defaultFans } from './platform/fans.js'
import { describeExchange } from './reply-text.js'
import { DEFAULT_ACCOUNT_ID, startSandbox } from './sandbox-app.js'
import type { RunningSandbox, SandboxOptions } from './sandbox-app.js'

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

/** Everything the sandbox reads from the environment: the server's variables plus its own. */
export function sandboxSettings (env: Env): { options: SandboxOptions, host: string, port: number } {
  const { config } = loadConfig(env)
  const port = Number(env.SANDBOX_PORT ?? '3100')
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError('SANDBOX_PORT is invalid: expected a port number')
  return {
    host: env.SANDBOX_HOST ?? '127.0.0.1',
    port,
    options: {
      token: config.wechatToken,
      appId: config.appId,
      appSecret: config.appSecret,
      ...(config.encodingAesKey === undefined ? {} : { encodingAesKey: config.encodingAesKey }),
      mode: config.messageMode,
      serverUrl: env.SANDBOX_SERVER_URL ?? 'http://127.0.0.1:3000/wechat',
      accountId: config.accountId ?? DEFAULT_ACCOUNT_ID
    }
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
  const exchange = await runExchange({
    serverUrl: command.server ?? options.serverUrl,
    mode: command.mode ?? options.mode,
    secrets: { token: options.token, appId: options.appId, ...(options.encodingAesKey === undefined ? {} : { aesKey: parseEncodingAesKey(options.encodingAesKey) }) },
    accountId: options.accountId as string,
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
    `  point the server at WECHAT_API_BASE=${sandbox.url} WECHAT_OAUTH_BASE=${sandbox.url}`,
    `  JS-SDK stand-in     WECHAT_JSSDK_URL=${sandbox.url}${JSSDK_SCRIPT_PATH} (the server's default while its API is the sandbox on ${SANDBOX_ORIGIN})`,
    ''
  ].join('\n'))
  return sandbox
}
