import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { test } from 'tap'
import { boundHeapGrowth, HEAP_GROWING_PERCENT, HEAP_GROWING_PERCENT_SMALL_YOUNG, heapGrowthFlag } from '../../src/heap-growth.js'
import { SEMI_SPACE_FLAG } from '../../src/young-generation.js'
import { startServer } from '../helpers/server-process.js'

const FIXTURE = fileURLToPath(new URL('./fixtures/old-space-peak.js', import.meta.url))
const SERVER_ENV = { WECHAT_TOKEN: 'heaptoken1', WECHAT_APPID: 'wxheap', WECHAT_APPSECRET: 'heap-secret', SESSION_SECRET: 'heap-session-secret-0123456789-abcdef' }

/** The built server's "serving accounts" line, with `env` added to a minimal configuration. */
async function servingLine (t: { teardown(fn: () => unknown): void }, env: Record<string, string> = {}): Promise<string | undefined> {
  const server = await startServer({ ...SERVER_ENV, ...env })
  t.teardown(async () => { server.child.kill('SIGTERM'); await server.exited })
  return server.output().split('\n').find((text) => text.includes('"serving accounts"'))
}

/** The old generation's peak in the fixture's process, in bytes. */
function oldSpacePeak (nodeArgs: string[], bound: boolean): number {
  const run = spawnSync(process.execPath, ['--max-semi-space-size=1', ...nodeArgs, FIXTURE], {
    env: { PATH: process.env.PATH ?? '', BOUND: bound ? '1' : '0' }, encoding: 'utf8', timeout: 60_000
  })
  const peak = Number(run.stdout.split(' ')[0])
  if (run.status !== 0 || !Number.isFinite(peak) || peak <= 0) throw new Error(`fixture failed (${String(run.status)}): ${run.stdout}${run.stderr}`)
  return peak
}

test('the flag is set with the memory store, unless the operator gave node their own', async (t) => {
  const flag = `--heap-growing-percent=${HEAP_GROWING_PERCENT}`
  const small = `--heap-growing-percent=${HEAP_GROWING_PERCENT_SMALL_YOUNG}`
  t.equal(heapGrowthFlag([], false), flag)
  t.equal(heapGrowthFlag(['--max-semi-space-size=16'], false), flag)
  t.equal(heapGrowthFlag([SEMI_SPACE_FLAG], false), small, 'with wemp\'s own young generation, the tighter bound')
  t.equal(heapGrowthFlag([], false, `--enable-source-maps ${SEMI_SPACE_FLAG}`), small, 'the young generation given in NODE_OPTIONS counts too')
  t.equal(heapGrowthFlag([], true), undefined, 'with Redis V8\'s own factor stays')
  t.equal(heapGrowthFlag(['--heap-growing-percent=300'], false), undefined)
  t.equal(heapGrowthFlag(['--heap_growing_percent=50'], false), undefined)
  t.equal(heapGrowthFlag(['--heap-growing-percent', '40'], false), undefined)
  t.equal(heapGrowthFlag(['--heap-growing-percentage=40'], false), flag, 'only the flag itself counts')
  t.equal(boundHeapGrowth(false, ['--heap-growing-percent=300']), undefined, 'nothing set over the operator\'s flag')
  t.equal(boundHeapGrowth(false, [], ''), flag, 'what it set')
})

test('bounded, objects that are promoted and die keep the old generation near twice its live size, not four times', async (t) => {
  const unbounded = oldSpacePeak([], false)
  const bounded = oldSpacePeak([], true)
  t.ok(bounded < unbounded * 0.7, `old space peak ${bounded >> 20} MB bounded, ${unbounded >> 20} MB without`)
  const operators = oldSpacePeak(['--heap-growing-percent=300'], true)
  t.ok(operators > bounded * 1.4, `with the operator's own 300 %: ${operators >> 20} MB, left as given`)
})

test('with the memory store the server bounds its heap growth at start and says so', async (t) => {
  // Where node can relaunch itself it runs with wemp's young generation, and the tighter bound with it.
  const percent = typeof (process as { execve?: unknown }).execve === 'function' ? HEAP_GROWING_PERCENT_SMALL_YOUNG : HEAP_GROWING_PERCENT
  t.match(await servingLine(t), `"heapGrowth":"--heap-growing-percent=${percent}"`)
})

test('with Redis the server leaves V8\'s factor and says so', async (t) => {
  t.match(await servingLine(t, { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: 'wemp-test:heap:' }), '"heapGrowth":"V8 default or as given to node"')
})
