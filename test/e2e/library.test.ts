import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { test } from 'tap'
import { findProjectRoot } from '../../src/project-root.js'

const run = promisify(execFile)
const ROOT = findProjectRoot(import.meta.url)

/** A user's own Fastify app with wemp registered as a plugin, in TypeScript against the package's declarations. */
const USER_APP = `import { createHash } from 'node:crypto'
import Fastify from 'fastify'
import wemp, { createRouter, reply, type AccountSettings, type BotServices } from 'wemp'

const accounts: AccountSettings[] = [
  { id: 'shop', token: 'shoptoken01', appId: 'wxshop0000000001', appSecret: 'shop-secret', messageMode: 'plain', welcomeText: 'hi' }
]
const bot = ({ account, store }: BotServices) => createRouter({ store })
  .keyword('ping', () => reply.text(\`pong from \${account.id}\`))
  .bot()

const app = Fastify()
app.get('/mine', async () => 'my own route')
await app.register(wemp, { accounts, bot })
await app.ready()

const timestamp = String(Math.floor(Date.now() / 1000))
const nonce = 'n12345'
const signature = createHash('sha1').update(['shoptoken01', timestamp, nonce].sort().join('')).digest('hex')
const push = '<xml><ToUserName><![CDATA[gh_x]]></ToUserName><FromUserName><![CDATA[oFan1]]></FromUserName>' +
  '<CreateTime>1700000000</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[ping]]></Content><MsgId>42</MsgId></xml>'
const answer = await app.inject({ method: 'POST', url: \`/wechat/shop?signature=\${signature}&timestamp=\${timestamp}&nonce=\${nonce}\`, headers: { 'content-type': 'text/xml' }, payload: push })
const mine = await app.inject({ method: 'GET', url: '/mine' })
const unknown = await app.inject({ method: 'GET', url: '/nothing-here' })
process.stdout.write(JSON.stringify({ status: answer.statusCode, body: answer.body, mine: mine.body, unknown: unknown.statusCode, accounts: app.wemp.accounts.list().map((a) => a.id) }))
await app.close()
`

test('a Fastify app installs the packed tarball and registers wemp with its own accounts and bot', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'wemp-library-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  // The suite's own compile (npm test) built dist/ with declarations; a release's prepack builds the
  // same. Not rebuilt here: other tests run the built server from dist/ at the same time.
  await run('npm', ['pack', '--ignore-scripts', '--pack-destination', dir, '--silent'], { cwd: ROOT, timeout: 120_000 })
  const tarball = readdirSync(dir).find((name) => name.endsWith('.tgz'))
  t.ok(tarball !== undefined, 'npm pack made a tarball')
  const project = join(dir, 'user-app')
  await run('mkdir', [project])
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-app', private: true, type: 'module' }))
  await run('npm', ['install', join(dir, tarball as string), '--no-audit', '--no-fund', '--prefer-offline', '--silent'], { cwd: project, timeout: 180_000 })
  writeFileSync(join(project, 'app.ts'), USER_APP)
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, outDir: 'out',
      typeRoots: [join(ROOT, 'node_modules/@types')], types: ['node']
    },
    include: ['app.ts']
  }))
  // The user's code type-checks against the package's own declarations.
  await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: project, timeout: 120_000 })
  const { stdout } = await run(process.execPath, ['out/app.js'], { cwd: project, timeout: 60_000, env: { PATH: process.env.PATH ?? '' } })
  const result = JSON.parse(stdout) as { status: number, body: string, mine: string, unknown: number, accounts: string[] }
  t.equal(result.status, 200)
  t.match(result.body, '<Content><![CDATA[pong from shop]]></Content>', 'the user\'s bot answered the push')
  t.equal(result.mine, 'my own route', 'the user\'s own routes stay theirs')
  t.equal(result.unknown, 404)
  t.same(result.accounts, ['shop'], 'app.wemp.accounts is visible to the user')
  // The package's `wemp` bin is installed with it, and runs from there.
  const help = await run(join(project, 'node_modules/.bin/wemp'), ['--help'], { cwd: project, timeout: 60_000, env: { PATH: process.env.PATH ?? '' } })
  t.match(help.stdout, /^Usage: wemp \[options\] \[command\]/)
})
