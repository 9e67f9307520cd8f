import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli } from '../../cli/program.js'
import type { RunningPlatformApi } from '../../sandbox/platform/platform-api.js'
import { APP_ID, APP_SECRET, startPlatform } from '../fixtures/platform-fixture.js'

interface Teardown { teardown(fn: () => unknown): void }

export const FAN = 'oSandboxFan00000000000000001'
export const OUTSIDE_WINDOW_FAN = 'oSandboxFan00000000000000003'

export interface CliRun {
  code: number
  out: string
  err: string
  /** stdout as JSON (for --json runs). */
  json: <T = Record<string, unknown>>() => T
}

export type RunWemp = (args: string[], env?: Record<string, string>) => Promise<CliRun>

/** The single-account variables of the fake platform's app, as an operator sets them. */
export function platformEnv (platform: RunningPlatformApi, extra: Record<string, string> = {}): Record<string, string> {
  return { WECHAT_APPID: APP_ID, WECHAT_APPSECRET: APP_SECRET, WECHAT_TOKEN: 'clitoken01', WECHAT_API_BASE: platform.url, ...extra }
}

/** Runs `wemp` in-process with its own stdout, stderr and working directory. */
export function wempRunner (baseEnv: Record<string, string>, cwd: string): RunWemp {
  return async (args, env = {}) => {
    let out = ''
    let err = ''
    const code = await runCli(args, { ...baseEnv, ...env }, { stdout: { write: (s: string) => { out += s } }, stderr: { write: (s: string) => { err += s } }, cwd }, { redisWaitMs: 300 })
    return { code, out, err, json: <T>() => JSON.parse(out) as T }
  }
}

/** A fake platform, a temporary working directory and `wemp` pointed at both. */
export async function cliAgainstPlatform (t: Teardown): Promise<{ platform: RunningPlatformApi, dir: string, wemp: RunWemp }> {
  const platform = await startPlatform(t)
  const dir = mkdtempSync(join(tmpdir(), 'wemp-cli-'))
  return { platform, dir, wemp: wempRunner(platformEnv(platform), dir) }
}
