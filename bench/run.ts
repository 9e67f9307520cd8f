import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import autocannon from 'autocannon'
import { cpuMicros, hasTaskset, peakRssMb, rssMb, startBenchServer, stopBenchServer } from './server-process.js'
import { plainPushes, safePushes, type PushFactory } from './signed-pushes.js'

/**
 * `npm run bench`: autocannon on loopback against each server started as its own process,
 * server on core 0 and load generator on core 1, a signed text echo per request with a fresh
 * nonce and MsgId. wemp runs as users run it: NODE_ENV=production, LOG_LEVEL unset (info), its
 * logs written to a file. Prints req/s, p50/p99 latency, server CPU per push, idle and peak RSS.
 * BENCH_ONLY=redis (a part of the scenario names) runs the ceiling and the matching scenarios only.
 */
const TOKEN = 'benchtoken'
const APPID = 'wxbench0000000001'
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'
const DURATION = Number(process.env.BENCH_SECONDS ?? 10)
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50)
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

if (hasTaskset && process.env.WEMP_BENCH_PINNED === undefined) {
  const child = spawnSync('taskset', ['-c', '1', process.execPath, ...process.argv.slice(1)], { stdio: 'inherit', env: { ...process.env, WEMP_BENCH_PINNED: '1' } })
  process.exit(child.status ?? 1)
}

interface Scenario { name: string, entry: string, env: Record<string, string>, pushes: PushFactory }

const wempEnv = {
  NODE_ENV: 'production', WECHAT_TOKEN: TOKEN, WECHAT_APPID: APPID, WECHAT_APPSECRET: 'bench-secret-0123456789abcdef012345',
  SESSION_SECRET: 'bench-session-secret-0123456789abcdef0123456789', PUBLIC_URL: 'http://127.0.0.1'
}
const only = process.env.BENCH_ONLY
const scenarios: Scenario[] = [
  { name: 'ceiling (minimal Fastify route)', entry: here('./ceiling-server.js'), env: { WECHAT_TOKEN: TOKEN }, pushes: plainPushes(TOKEN) },
  { name: 'wemp, memory store', entry: here('../server.js'), env: wempEnv, pushes: plainPushes(TOKEN) },
  { name: 'wemp, Redis store', entry: here('../server.js'), env: { ...wempEnv, REDIS_URL, REDIS_KEY_PREFIX: `wemp-bench:${process.pid}:` }, pushes: plainPushes(TOKEN) },
  { name: 'wemp, safe mode (AES), memory', entry: here('../server.js'), env: { ...wempEnv, WECHAT_MESSAGE_MODE: 'safe', WECHAT_ENCODING_AES_KEY: AES_KEY }, pushes: safePushes(TOKEN, APPID, AES_KEY) }
].filter((scenario, i) => i === 0 || only === undefined || scenario.name.includes(only))

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

interface Row { name: string, rps: number, p50: number, p99: number, cpuUs: number, idleMb: number, peakMb: number, errors: number, linesPerPush: number }
const logDir = mkdtempSync(join(tmpdir(), 'wemp-bench-'))
const rows: Row[] = []
for (const [i, scenario] of scenarios.entries()) {
  process.stderr.write(`bench: ${scenario.name}…\n`)
  const logFile = join(logDir, `${i}.log`)
  const server = await startBenchServer(scenario.name, scenario.entry, scenario.env, logFile)
  const idleMb = rssMb(server.pid)
  await load(server.url, scenario.pushes, 2) // warm-up: JIT, connection pools
  const linesBefore = logLines(logFile)
  const cpuBefore = cpuMicros(server.pid)
  const result = await load(server.url, scenario.pushes, DURATION)
  const cpuUs = (cpuMicros(server.pid) - cpuBefore) / result.requests.total
  const peakMb = peakRssMb(server.pid)
  await stopBenchServer(server)
  rows.push({
    name: scenario.name, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, cpuUs, idleMb, peakMb,
    errors: result.non2xx + result.errors + result.timeouts, linesPerPush: (logLines(logFile) - linesBefore) / result.requests.total
  })
}

function logLines (file: string): number {
  return readFileSync(file, 'utf8').split('\n').length - 1
}

const ceiling = rows[0] as Row
process.stdout.write(`\nwemp benchmark: ${CONNECTIONS} connections, ${DURATION} s per scenario, ${hasTaskset ? 'server on core 0, load on core 1' : 'unpinned'}; logs in ${logDir}\n\n`)
process.stdout.write('| scenario | req/s | p50 ms | p99 ms | server CPU µs/push | vs ceiling | idle RSS MB | peak RSS MB | log lines/push | non-2xx/errors |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n')
for (const r of rows) {
  process.stdout.write(`| ${r.name} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.cpuUs.toFixed(0)} | ${(r.cpuUs / ceiling.cpuUs).toFixed(2)}× | ${r.idleMb.toFixed(0)} | ${r.peakMb.toFixed(0)} | ${r.linesPerPush.toFixed(2)} | ${r.errors} |\n`)
}
