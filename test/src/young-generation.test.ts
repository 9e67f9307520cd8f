import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { test } from 'tap'
import { givenSemiSpaceFlag, relaunchArgs, youngGenerationNote, relaunchWithBoundedYoungGeneration, SEMI_SPACE_FLAG, type LaunchedProcess } from '../../src/young-generation.js'
import { startServer } from '../helpers/server-process.js'

const FIXTURE = fileURLToPath(new URL('./fixtures/new-space-peak.js', import.meta.url))
const SERVER_ENV = { WECHAT_TOKEN: 'youngtoken1', WECHAT_APPID: 'wxyoung', WECHAT_APPSECRET: 'young-secret', SESSION_SECRET: 'young-session-secret-0123456789-abcdef' }
const CAN_RELAUNCH = typeof (process as { execve?: unknown }).execve === 'function'

function launched (overrides: Partial<LaunchedProcess> = {}): LaunchedProcess {
  return { execPath: '/usr/bin/node', execArgv: ['--enable-source-maps'], argv: ['/usr/bin/node', '/srv/wemp/dist/server.js', 'extra'], env: { PATH: '/bin' }, ...overrides }
}

test('the semi-space flag node was given, in either spelling and form, on the command line or in NODE_OPTIONS', async (t) => {
  t.equal(givenSemiSpaceFlag([]), undefined)
  t.equal(givenSemiSpaceFlag(['--max-semi-space-size=8']), '--max-semi-space-size=8')
  t.equal(givenSemiSpaceFlag(['--max_semi_space_size=4']), '--max_semi_space_size=4')
  t.equal(givenSemiSpaceFlag(['--max-semi-space-size', '32']), '--max-semi-space-size=32')
  t.equal(givenSemiSpaceFlag(['--max-semi-space-size']), '--max-semi-space-size=', 'a flag without its value still is the operator\'s (node refuses it)')
  t.equal(givenSemiSpaceFlag([], '--trace-warnings  --max-semi-space-size=2'), '--max-semi-space-size=2')
  t.equal(givenSemiSpaceFlag([], '"--title=a \\"b\\"" "--max-semi-space-size=4"'), '--max-semi-space-size=4', 'quoted words, as tap writes them')
  t.equal(givenSemiSpaceFlag([], '"--title=--max-semi-space-size=4"'), undefined, 'inside another word')
  t.equal(givenSemiSpaceFlag(['--max-semi-space-size-x=3']), undefined, 'only the flag itself counts')
  t.equal(youngGenerationNote([]), 'V8 default', 'the start line, without a flag')
  t.equal(youngGenerationNote([], '--max-semi-space-size=8'), '--max-semi-space-size=8')
})

test('the command line to start again with: the flag first, then node\'s own flags, the entry and its arguments', async (t) => {
  t.same(relaunchArgs(launched()), ['/usr/bin/node', SEMI_SPACE_FLAG, '--enable-source-maps', '/srv/wemp/dist/server.js', 'extra'])
  t.equal(relaunchArgs(launched({ execArgv: ['--max-semi-space-size=64'] })), undefined, 'the operator\'s flag stays')
  t.equal(relaunchArgs(launched({ env: { NODE_OPTIONS: '--max-semi-space-size=64' } })), undefined)
})

test('the process is replaced once, with the same environment; where it cannot be, it goes on and says why', async (t) => {
  const calls: unknown[][] = []
  const lines: string[] = []
  const env = { PATH: '/bin', WECHAT_TOKEN: 'kept' }
  relaunchWithBoundedYoungGeneration(launched({ env, execve: ((...args: unknown[]) => { calls.push(args) }) as never }), (line) => lines.push(line))
  t.same(calls, [['/usr/bin/node', ['/usr/bin/node', SEMI_SPACE_FLAG, '--enable-source-maps', '/srv/wemp/dist/server.js', 'extra'], env]])
  relaunchWithBoundedYoungGeneration(launched({ execArgv: [SEMI_SPACE_FLAG], execve: ((...args: unknown[]) => { calls.push(args) }) as never }), (line) => lines.push(line))
  t.equal(calls.length, 1, 'started with the flag: not again')
  const failing = () => { throw Object.assign(new Error('exec failed'), { code: 'E2BIG' }) }
  relaunchWithBoundedYoungGeneration(launched({ execve: failing as never }), (line) => lines.push(line))
  t.same(lines, [`wemp: could not restart node with ${SEMI_SPACE_FLAG} (E2BIG); V8's default young generation stays\n`])
  relaunchWithBoundedYoungGeneration(launched({ execve: (() => { throw new TypeError('no') }) as never }), (line) => lines.push(line))
  t.match(lines[1], '(TypeError)')
  relaunchWithBoundedYoungGeneration(launched(), (line) => lines.push(line))
  t.equal(lines.length, 2, 'without execve (Node 20, Windows): nothing to say, V8\'s default is what runs')
})

test('relaunched, the new space stays at 2 × 8 MB where the runtime would let it grow larger', async (t) => {
  const run = (relaunch: boolean) => {
    const result = spawnSync(process.execPath, [FIXTURE], { env: { PATH: process.env.PATH ?? '', RELAUNCH: relaunch ? '1' : '0' }, encoding: 'utf8', timeout: 60_000 })
    const [peak, ...flags] = result.stdout.trim().split(' ')
    if (result.status !== 0 || !(Number(peak) > 0)) throw new Error(`fixture failed (${String(result.status)}): ${result.stdout}${result.stderr}`)
    return { peak: Number(peak), flags: flags.join(' ') }
  }
  const relaunched = run(true)
  const unbounded = run(false)
  // Node 20 cannot relaunch: its own default (2 × 16 MB) is what runs.
  t.ok(relaunched.peak <= (CAN_RELAUNCH ? 16 : 32) * 2 ** 20, `new space peak ${relaunched.peak >> 20} MB relaunched, ${unbounded.peak >> 20} MB as started`)
  t.equal(relaunched.flags, CAN_RELAUNCH ? SEMI_SPACE_FLAG : '', CAN_RELAUNCH ? 'the same script, with the flag' : 'no execve on this runtime: as started')
  if (CAN_RELAUNCH) t.ok(unbounded.peak > relaunched.peak, 'this runtime\'s own young generation is larger')
})

test('the built server, started as `node dist/server.js`, runs with the flag where it can and says which', async (t) => {
  const server = await startServer(SERVER_ENV)
  t.teardown(async () => { server.child.kill('SIGTERM'); await server.exited })
  const commandLine = readFileSync(`/proc/${String(server.child.pid)}/cmdline`, 'utf8').split('\0')
  t.equal(commandLine.includes(SEMI_SPACE_FLAG), CAN_RELAUNCH, 'the process the supervisor started is the one that serves')
  t.match(server.output(), `"youngGeneration":"${CAN_RELAUNCH ? SEMI_SPACE_FLAG : 'V8 default'}"`)
})

test('the operator\'s own flag, in NODE_OPTIONS, is what the server runs with', async (t) => {
  const server = await startServer({ ...SERVER_ENV, NODE_OPTIONS: '--max-semi-space-size=4' })
  t.teardown(async () => { server.child.kill('SIGTERM'); await server.exited })
  t.notOk(readFileSync(`/proc/${String(server.child.pid)}/cmdline`, 'utf8').includes(SEMI_SPACE_FLAG))
  t.match(server.output(), '"youngGeneration":"--max-semi-space-size=4"')
})
