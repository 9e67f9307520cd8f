import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { openSync, readFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'

/** The benchmarked server as its own process, on core 0 when taskset exists, its stdout and stderr in a file. */
export const hasTaskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0

export interface BenchServer { child: ChildProcess, url: string, pid: number }

export async function startBenchServer (name: string, entry: string, env: Record<string, string>, logFile: string): Promise<BenchServer> {
  const port = await freePort()
  const command = hasTaskset ? 'taskset' : process.execPath
  const args = hasTaskset ? ['-c', '0', process.execPath, entry] : [entry]
  // A file, as a process manager or compare.sh gives it: writing the logs is part of the cost.
  const log = openSync(logFile, 'a')
  const child = spawn(command, args, { env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), ...env }, stdio: ['ignore', log, log] })
  const url = `http://127.0.0.1:${port}`
  for (let attempt = 0; attempt < 200; attempt++) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode} (see ${logFile})`)
    if (await fetch(`${url}/healthz`).then(() => true, () => false)) return { child, url, pid: child.pid as number }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`${name} did not start`)
}

export async function stopBenchServer (server: BenchServer): Promise<void> {
  const exited = new Promise((resolve) => server.child.once('exit', resolve))
  server.child.kill('SIGTERM')
  await exited
}

async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** taskset execs the server, so the pid is the server's: its peak resident set so far. */
export function peakRssMb (pid: number): number {
  return statusKb(pid, 'VmHWM') / 1024
}

export function rssMb (pid: number): number {
  return statusKb(pid, 'VmRSS') / 1024
}

function statusKb (pid: number, field: string): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0)
}

/** User plus system CPU time of the process (all its threads), in µs; /proc counts in clock ticks of 10 ms. */
export function cpuMicros (pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
  return (Number(fields[11]) + Number(fields[12])) * 10_000
}
