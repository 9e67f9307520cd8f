import { ConfigError, SANDBOX_ORIGIN } from '../src/config.js'
import { errcodeMeaning } from '../src/wechat-api/errcode-meanings.js'
import { WeChatApiError } from '../src/wechat-api/wechat-api-error.js'

/** Where the CLI writes, and the directory its file arguments are relative to. */
export interface CliIo {
  stdout: { write(text: string): unknown }
  stderr: { write(text: string): unknown }
  cwd: string
}

/**
 * 0 done; 1 WeChat refused (or would: the request breaks one of its limits, a menu fails its
 * checks); 64 bad usage; 69 WeChat or the shared store (REDIS_URL) did not answer; 70 anything
 * unforeseen; 78 bad configuration. sysexits.h's numbers, as wemp-sandbox uses them.
 */
export const EXIT = { ok: 0, refused: 1, usage: 64, unavailable: 69, software: 70, config: 78 } as const
export type ExitCode = typeof EXIT[keyof typeof EXIT]

/** A command line that names something that is not there (an account, a file, a tag). */
export class UsageError extends Error {
  override name = 'UsageError'
}

/** Something the CLI needs does not answer (the shared store). */
export class UnavailableError extends Error {
  override name = 'UnavailableError'
}

/** What a command found: its text for people, its value for `--json`, and its exit code. */
export interface Outcome {
  text: string
  json: unknown
  exit?: ExitCode
}

/** Prints outcomes and failures, as text or as JSON, and says which exit code they mean. */
export interface Output {
  done(outcome: Outcome): ExitCode
  fail(error: unknown): ExitCode
}

export function createOutput (io: CliIo, json: boolean, apiBase?: string): Output {
  return {
    done (outcome) {
      io.stdout.write(json ? `${JSON.stringify(outcome.json, null, 2)}\n` : `${outcome.text}\n`)
      return outcome.exit ?? EXIT.ok
    },
    fail (error) {
      const failure = describeFailure(error, apiBase)
      io.stderr.write(json ? `${JSON.stringify({ error: failure.json }, null, 2)}\n` : `wemp: ${failure.text}\n`)
      return failure.exit
    }
  }
}

interface Failure {
  text: string
  json: Record<string, unknown>
  exit: ExitCode
}

/** A failure in words, with the exit code it means. */
export function describeFailure (error: unknown, apiBase?: string): Failure {
  if (error instanceof WeChatApiError) return describeApiError(error, apiBase)
  if (error instanceof ConfigError) return { text: error.message, json: { kind: 'config', message: error.message }, exit: EXIT.config }
  if (error instanceof UsageError) return { text: error.message, json: { kind: 'usage', message: error.message }, exit: EXIT.usage }
  if (error instanceof UnavailableError) return { text: error.message, json: { kind: 'unavailable', message: error.message }, exit: EXIT.unavailable }
  // The store failing mid-command, or a bug: its message, never a stack trace full of paths.
  const message = error instanceof Error ? error.message : String(error)
  return { text: `unexpected failure: ${message}`, json: { kind: 'unexpected', message }, exit: EXIT.software }
}

function describeApiError (error: WeChatApiError, apiBase: string | undefined): Failure {
  const json: Record<string, unknown> = { kind: error.kind, api: error.api }
  if (error.kind === 'invalid-request') {
    json.message = error.detail
    return { text: `${error.api} not sent: WeChat would refuse it: ${String(error.detail)}`, json, exit: EXIT.refused }
  }
  if (error.kind === 'api') {
    const meaning = errcodeMeaning(error.errcode, error.api)
    Object.assign(json, { errcode: error.errcode, errmsg: error.errmsg, ...(meaning === undefined ? {} : { meaning }) })
    // WeChat's request id (rid: …) helps its support, not the reader: it stays in the JSON.
    const errmsg = (error.errmsg ?? '').replace(/,?\s*rid:.*$/, '')
    const said = errmsg === '' ? '' : ` (${errmsg})`
    return { text: `WeChat refused ${error.api}: errcode ${String(error.errcode)}${said}${meaning === undefined ? '' : `: ${meaning}`}`, json, exit: EXIT.refused }
  }
  // The other kinds (timeout, network, http, non-json, bad-response): WeChat did not answer, or not readably.
  json.message = error.message
  // In development the API base defaults to the sandbox: the likeliest cause is that it is not running.
  const sandbox = apiBase === SANDBOX_ORIGIN && error.kind === 'network' ? ` (WECHAT_API_BASE is the sandbox, ${SANDBOX_ORIGIN}: is \`npm run sandbox\` running?)` : ''
  return { text: `${error.message}${sandbox}`, json, exit: EXIT.unavailable }
}
