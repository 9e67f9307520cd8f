// The late-answer queue, built, alone in a process: once closed, the process must end by itself
// whatever Redis or a job is doing. BullMQ's own close can hang (taskforcesh/bullmq#4656): then
// close gives up after CLOSE_WAIT_MS, and nothing of BullMQ's may keep the process alive.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { fileURLToPath } from 'node:url'
import { test } from 'tap'
import { CLOSE_WAIT_MS } from '../../src/late-answers/late-answer-queue.js'
import { startPrivateRedis, type PrivateRedis } from '../helpers/private-redis.js'

const FIXTURE = fileURLToPath(new URL('./fixtures/late-queue-close.js', import.meta.url))
// Past this the process is taken to be kept alive for good (it is then killed).
const EXIT_WAIT_MS = CLOSE_WAIT_MS + 10_000

interface Closed { code: number | null, closeMs: number | undefined, output: string }

/** Starts the fixture, waits for `signal` on its stdout, runs `before`, sends close, and waits for the process to end. */
async function closeQueue (t: { teardown(fn: () => unknown): void }, redis: PrivateRedis, env: Record<string, string>, signal: string, before: () => void): Promise<Closed> {
  const child = spawn(process.execPath, [FIXTURE], {
    env: { PATH: process.env.PATH ?? '', REDIS_URL: redis.url, PREFIX: 'wemp-test:close:', ...env },
    stdio: ['pipe', 'pipe', 'pipe']
  })
  t.teardown(() => { child.kill('SIGKILL') })
  let output = ''
  child.stderr.on('data', (chunk: Buffer) => { output += String(chunk) })
  const exited = once(child, 'exit') as Promise<[number | null]>
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += String(chunk)
      if (output.split('\n').includes(signal)) resolve()
    })
    void exited.then(() => reject(new Error(`the fixture exited before "${signal}":\n${output}`)))
  })
  before()
  child.stdin.write('close\n')
  const killer = setTimeout(() => { child.kill('SIGKILL') }, EXIT_WAIT_MS)
  const [code] = await exited
  clearTimeout(killer)
  const closeMs = /^closed (\d+)$/m.exec(output)?.[1]
  return { code, closeMs: closeMs === undefined ? undefined : Number(closeMs), output }
}

test('Redis hung (SIGSTOP) at close: close gives up after CLOSE_WAIT_MS and the process ends by itself', async (t) => {
  const redis = await startPrivateRedis(t)
  t.teardown(() => { redis.thaw() })
  const closed = await closeQueue(t, redis, {}, 'ready', () => { redis.freeze() })
  t.equal(closed.code, 0, `the process ended by itself:\n${closed.output}`)
  t.ok(closed.closeMs !== undefined && closed.closeMs >= CLOSE_WAIT_MS - 50, 'close waited CLOSE_WAIT_MS for a graceful end, then gave up')
})

test('a job still running at close (its bot never answers): the process ends by itself', async (t) => {
  const redis = await startPrivateRedis(t)
  const closed = await closeQueue(t, redis, { HANG_JOB: '1' }, 'active', () => {})
  t.equal(closed.code, 0, `the process ended by itself:\n${closed.output}`)
  t.ok(closed.closeMs !== undefined && closed.closeMs >= CLOSE_WAIT_MS - 50, 'close waited CLOSE_WAIT_MS for the job, then gave up')
})
