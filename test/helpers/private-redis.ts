import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import net from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { redisReachable } from './redis.js'

interface Teardown {
  teardown(fn: () => unknown): void
}

export interface PrivateRedis {
  url: string
  port: number
  /** SIGKILL, as a crash: resolves once the process has exited. */
  kill(): Promise<void>
  /** After kill: a new, empty redis-server on the same port (Redis restarted); resolves once it answers. */
  restart(): Promise<void>
  /** SIGSTOP: the server keeps its connections but answers nothing (a hung or very slow Redis). */
  freeze(): void
  /** SIGCONT after freeze. */
  thaw(): void
}

/** A TCP port nothing listens on right now (bound, read, released). */
export async function freePort (): Promise<number> {
  const server = net.createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as net.AddressInfo
  server.close()
  await once(server, 'close')
  return port
}

interface RedisProcess {
  child: ChildProcess
  exited: Promise<unknown>
}

/** Spawns redis-server on the port and waits until it answers PING. */
async function spawnRedis (port: number): Promise<RedisProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
  const exited = once(child, 'exit')
  const url = `redis://127.0.0.1:${port}`
  const deadline = Date.now() + 5000
  while (!await redisReachable(url)) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL')
      throw new Error(`private redis-server on port ${port} did not start`)
    }
    await sleep(25)
  }
  return { child, exited }
}

/**
 * A redis-server of this test's own, on a free port, never persisting: "Redis goes down" tests
 * kill it instead of the shared one. Killed at teardown if the test did not.
 */
export async function startPrivateRedis (t: Teardown): Promise<PrivateRedis> {
  const port = await freePort()
  let current = await spawnRedis(port)
  const kill = async (): Promise<void> => {
    const { child, exited } = current
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGKILL')
    await exited
  }
  t.teardown(kill)
  const restart = async (): Promise<void> => {
    await kill()
    current = await spawnRedis(port)
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    kill,
    restart,
    freeze: () => { current.child.kill('SIGSTOP') },
    thaw: () => { current.child.kill('SIGCONT') }
  }
}
