import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * `npm run bench:accounts`: the built server started with 1 and with 100 accounts in
 * WECHAT_ACCOUNTS_FILE (half of them in safe mode); prints the time to its listening line and
 * its RSS once listening (median of five starts each).
 */
const SERVER = fileURLToPath(new URL('../server.js', import.meta.url))
const KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'
const STARTS = 5

function accountsFile (count: number): string {
  const accounts = Array.from({ length: count }, (_, i) => ({
    id: `account${i}`, token: `token${i}x`, appId: `wxbench${String(i).padStart(10, '0')}`, appSecret: `secret-${i}`,
    ...(i % 2 === 1 ? { messageMode: 'safe', encodingAesKey: KEY } : {})
  }))
  const path = join(mkdtempSync(join(tmpdir(), 'wemp-accounts-bench-')), 'accounts.json')
  writeFileSync(path, JSON.stringify({ accounts }))
  return path
}

async function start (file: string): Promise<{ ms: number, rssMb: number }> {
  const began = process.hrtime.bigint()
  const child = spawn(process.execPath, [SERVER], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', WECHAT_ACCOUNTS_FILE: file, SESSION_SECRET: 'bench-session-secret-0123456789-abcdef' },
    stdio: ['ignore', 'pipe', 'inherit']
  })
  await new Promise<void>((resolve) => {
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => {
      output += String(chunk)
      if (output.includes('Server listening')) resolve()
    })
  })
  const ms = Number(process.hrtime.bigint() - began) / 1e6
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid as number}/status`, 'utf8'))?.[1])
  child.kill('SIGTERM')
  await new Promise((resolve) => child.on('exit', resolve))
  return { ms, rssMb: rssKb / 1024 }
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number

for (const count of [1, 100]) {
  const file = accountsFile(count)
  const runs = []
  for (let i = 0; i < STARTS; i++) runs.push(await start(file))
  console.log(`${count} account(s): start ${median(runs.map((r) => r.ms)).toFixed(0)} ms, RSS when listening ${median(runs.map((r) => r.rssMb)).toFixed(1)} MB (median of ${STARTS})`)
}
