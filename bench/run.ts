import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { plainPushes, safePushes, type PushFactory } from './signed-pushes.js'

/**
 * `npm run bench`: autocannon on loopback against each server started as its own process,
 * server on core 0 and load generator on core 1, a signed text echo per request with a fresh
 * nonce and MsgId. Prints req/s, p50/p99 latency and peak RSS, and the ratios to the ceiling.
 */
const TOKEN = 'benchtoken'
const APPID = 'wxbench0000000001'
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'
const DURATION = Number(process.env.BENCH_SECONDS ?? 10)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50)
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))
const hasTaskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0

if (hasTaskset && process.env.WEMP_BENCH_PINNED === undefined) {
  const child = spawnSync('taskset', ['-c', '1', process.execPath, ...process.argv.slice(1)], { stdio: 'inherit', env: { ...process.env, WEMP_BENCH_PINNED: '1' } })
  process.exit(child.status ?? 1)
}

interface Scenario { name: string, entry: string, env: Record<string, string>, pushes: PushFactory }

const wempEnv = { WECHAT_TOKEN: TOKEN, WECHAT_APPID: APPID, LOG_LEVEL: 'warn' }
const scenarios: Scenario[] = [
  { name: 'ceiling (minimal Fastify route)', entry: here('./ceiling-server.js'), env: { WECHAT_TOKEN: TOKEN }, pushes: plainPushes(TOKEN) },
  { name: 'wemp, memory store', entry: here('../server.js'), env: wempEnv, pushes: plainPushes(TOKEN) },
  { name: 'wemp, Redis store', entry: here('../server.js'), env: { ...wempEnv, REDIS_URL, REDIS_KEY_PREFIX: `wemp-bench:${process.pid}:` }, pushes: plainPushes(TOKEN) },
  { name: 'wemp, safe mode (AES), memory', entry: here('../server.js'), env: { ...wempEnv, WECHAT_MESSAGE_MODE: 'safe', WECHAT_ENCODING_AES_KEY: AES_KEY }, pushes: safePushes(TOKEN, APPID, AES_KEY) }
]

async function start (scenario: Scenario): Promise<{ child: ChildProcess, url: string }> {
  const port = await freePort()
  const command = hasTaskset ? 'taskset' : process.execPath
  const args = hasTaskset ? ['-c', '0', process.execPath, scenario.entry] : [scenario.entry]
  const child = spawn(command, args, { env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), ...scenario.env }, stdio: ['ignore', 'ignore', 'inherit'] })
  const url = `http://127.0.0.1:${port}`
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) throw new Error(`${scenario.name} exited with ${child.exitCode}`)
    if (await fetch(`${url}/healthz`).then(() => true, () => false)) return { child, url }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`${scenario.name} did not start`)
}

async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

function peakRssMb (pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024
}

async function load (url: string, pushes: PushFactory, seconds: number) {
  return await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [{
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      setupRequest: (request) => ({ ...request, ...pushes.next() })
    }]
  })
}

const rows: Array<{ name: string, rps: number, p50: number, p99: number, rssMb: number, errors: number }> = []
for (const scenario of scenarios) {
  process.stderr.write(`bench: ${scenario.name}…\n`)
  const { child, url } = await start(scenario)
  await load(url, scenario.pushes, 2) // warm-up: JIT, connection pools
  const result = await load(url, scenario.pushes, DURATION)
  // taskset execs the server, so its pid is the server's.
  const rssMb = child.pid === undefined ? 0 : peakRssMb(child.pid)
  child.kill('SIGTERM')
  rows.push({ name: scenario.name, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, rssMb, errors: result.non2xx + result.errors })
}

const ceiling = rows[0]!.rps
process.stdout.write(`\nwemp benchmark: ${CONNECTIONS} connections, ${DURATION} s per scenario, ${hasTaskset ? 'server on core 0, load on core 1' : 'unpinned'}\n\n`)
process.stdout.write('| scenario | req/s | vs ceiling | p50 ms | p99 ms | peak RSS MB | non-2xx/errors |\n|---|---:|---:|---:|---:|---:|---:|\n')
for (const r of rows) {
  process.stdout.write(`| ${r.name} | ${r.rps.toFixed(0)} | ${((r.rps / ceiling) * 100).toFixed(0)}% | ${r.p50} | ${r.p99} | ${r.rssMb.toFixed(0)} | ${r.errors} |\n`)
}
const plain = rows[1]!.rps
process.stdout.write(`\nsafe mode vs plaintext echo: ${((rows[3]!.rps / plain) * 100).toFixed(0)}% (target ≥ 75%)\n`)
