import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { test } from 'tap'
import { startPlatform } from '../fixtures/platform-fixture.js'
import { FAN, platformEnv } from './cli-fixture.js'

const BUILT_MAIN = fileURLToPath(new URL('../../dist/cli/main.js', import.meta.url))

async function runBin (args: string[], env: Record<string, string>): Promise<{ code: number | null, out: string, err: string }> {
  const child = spawn(process.execPath, [BUILT_MAIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env } })
  let out = ''
  let err = ''
  child.stdout.on('data', (c: Buffer) => { out += String(c) })
  child.stderr.on('data', (c: Buffer) => { err += String(c) })
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
  return { code, out, err }
}

test('the built bin: a shebang, and the exit codes and --json of a real process', { skip: existsSync(BUILT_MAIN) ? false : 'run `npm run build` first' }, async (t) => {
  t.equal(readFileSync(BUILT_MAIN, 'utf8').split('\n')[0], '#!/usr/bin/env node')
  const platform = await startPlatform(t)
  const env = platformEnv(platform)
  const created = await runBin(['--json', 'qrcode', 'create', '--scene', 'poster7'], env)
  t.equal(created.code, 0)
  t.match(JSON.parse(created.out), { scene: 'poster7', ticket: String })
  t.equal(platform.state.qrcodes.codes.size, 1)

  const refused = await runBin(['custom', 'send', 'oSandboxFan00000000000000003', '在吗'], env)
  t.equal(refused.code, 1)
  t.match(refused.err, /^wemp: WeChat refused message\/custom\/send: errcode 45015/)
  t.equal((await runBin(['custom', 'send', FAN, '你好'], env)).code, 0)
  t.equal((await runBin(['qrcode', 'create'], env)).code, 64)
  t.equal((await runBin(['fans', 'list'], { ...env, NODE_ENV: 'production' })).code, 78)
  t.equal((await runBin(['fans', 'list'], { ...env, WECHAT_API_BASE: 'http://127.0.0.1:9' })).code, 69)
  const help = await runBin(['--help'], {})
  t.same([help.code, help.err], [0, ''])
  t.match(help.out, /^Usage: wemp /)
})
