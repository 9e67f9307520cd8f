import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'tap'
import { EXIT } from '../../cli/program.js'
import { APP_ID, APP_SECRET, startPlatform } from '../fixtures/platform-fixture.js'
import { PRODUCTION_ENV } from '../helpers/config.js'
import { cliAgainstPlatform, FAN, platformEnv, wempRunner } from './cli-fixture.js'

const COMMANDS = [
  [], ['menu'], ['menu', 'push'], ['menu', 'show'], ['menu', 'delete'], ['menu', 'check'],
  ['qrcode'], ['qrcode', 'create'], ['template'], ['template', 'send'], ['template', 'list'],
  ['fans'], ['fans', 'list'], ['fans', 'get'], ['fans', 'tag'], ['media'], ['media', 'upload'], ['custom'], ['custom', 'send']
]

test('--help on every command: its usage and the exit codes, on stdout, exit 0; nothing is called', async (t) => {
  const wemp = wempRunner({ WECHAT_API_BASE: 'http://127.0.0.1:9' }, tmpdir())
  for (const command of COMMANDS) {
    const run = await wemp([...command, '--help'])
    t.equal(run.code, EXIT.ok, `${command.join(' ')} --help`)
    t.match(run.out, new RegExp(`^Usage: wemp ${command.join(' ')}`), command.join(' '))
    t.match(run.out, /Exit codes: 0 done; 1 WeChat refused/)
    t.equal(run.err, '')
  }
  t.match((await wemp(['--help'])).out, /WECHAT_ACCOUNTS_FILE\n\(then --account picks one\)/)
  t.match((await wemp(['help', 'menu'])).out, /^Usage: wemp menu/)
  t.match((await wemp(['menu', 'check', '--help'])).out, /reaching only the fallback \(the echo's 菜单：KEY\), no reply, or an error is unanswered/)
})

test('--version prints the package\'s version', async (t) => {
  const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  const run = await wempRunner({}, tmpdir())(['--version'])
  t.same([run.code, run.out], [EXIT.ok, `${version}\n`])
})

test('bad usage is 64, with commander\'s reason and a pointer to --help', async (t) => {
  const wemp = wempRunner({ WECHAT_API_BASE: 'http://127.0.0.1:9' }, tmpdir())
  const cases: Array<[string[], RegExp]> = [
    [[], /Usage: wemp \[options\] \[command\]/],
    [['menu'], /Usage: wemp menu/],
    [['launch'], /unknown command 'launch'/],
    [['menu', 'push'], /missing required argument 'file'/],
    [['qrcode', 'create'], /required option '--scene <scene>' not specified/],
    [['qrcode', 'create', '--scene', '1', '--expire', 'soon'], /a whole number of seconds, 1 or more/],
    [['qrcode', 'create', '--scene', '1', '--expire', '0'], /a whole number of seconds/],
    [['qrcode', 'create', '--scene', '1', '--expire', '60', '--permanent'], /'--permanent' cannot be used with option '--expire <seconds>'/],
    [['media', 'upload', 'a.png', '--type', 'pdf'], /Allowed choices are image, voice, video, thumb/],
    [['media', 'upload', 'a.png'], /required option '--type <type>' not specified/],
    [['fans', 'get', '--limit', '3', 'x'], /unknown option '--limit'/]
  ]
  for (const [args, reason] of cases) {
    const run = await wemp(args)
    t.equal(run.code, EXIT.usage, args.join(' '))
    t.match(run.err, reason, args.join(' '))
  }
  t.match((await wemp(['launch'])).err, /\(wemp --help for usage\)/)
})

test('a configuration the server would refuse is 78, naming the variable, never its value', async (t) => {
  const wemp = wempRunner({}, tmpdir())
  const run = await wemp(['fans', 'list'], { NODE_ENV: 'production', WECHAT_APPID: 'wxprod' })
  t.equal(run.code, EXIT.config)
  t.equal(run.err, 'wemp: WECHAT_TOKEN is required when NODE_ENV=production\n')
  const json = await wemp(['--json', 'fans', 'list'], { ...PRODUCTION_ENV, WECHAT_APPSECRET: 'wemp-dev-appsecret-000000000000' })
  t.equal(json.code, EXIT.config)
  t.same(JSON.parse(json.err), { error: { kind: 'config', message: 'WECHAT_APPSECRET must not be the development default in production' } })
  t.equal(json.out, '')
})

test('the classic token API without REDIS_URL is refused: a token fetched here would end the servers\'', async (t) => {
  const platform = await startPlatform(t)
  const run = await wempRunner(platformEnv(platform, { WECHAT_TOKEN_API: 'classic' }), tmpdir())(['fans', 'list'])
  t.equal(run.code, EXIT.config)
  t.match(run.err, /WECHAT_TOKEN_API=classic without REDIS_URL: a token fetched here would replace the servers' own/)
  t.equal(platform.state.callCount('/cgi-bin/token'), 0, 'nothing was fetched')
})

test('several accounts: --account picks one, with its own AppID and token; none or an unknown one is 64', async (t) => {
  const other = { appId: 'wxshop000000000001', appSecret: 'shop-secret-0123456789abcdef' }
  const platform = await startPlatform(t, { apps: [other] })
  const dir = mkdtempSync(join(tmpdir(), 'wemp-cli-accounts-'))
  const file = join(dir, 'accounts.json')
  writeFileSync(file, JSON.stringify({ accounts: [
    { id: 'news', token: 'newstoken01', appId: APP_ID, appSecret: 'env:NEWS_SECRET' },
    { id: 'shop', token: 'shoptoken01', appId: other.appId, appSecret: other.appSecret }
  ] }))
  const wemp = wempRunner({ WECHAT_ACCOUNTS_FILE: file, NEWS_SECRET: APP_SECRET, WECHAT_API_BASE: platform.url }, dir)
  const none = await wemp(['fans', 'list'])
  t.same([none.code, none.err], [EXIT.usage, 'wemp: the configuration has several accounts (news, shop): choose one with --account\n'])
  const unknown = await wemp(['--account', 'blog', 'fans', 'list'])
  t.same([unknown.code, unknown.err], [EXIT.usage, 'wemp: no account blog in the configuration (the accounts: news, shop)\n'])

  const shop = await wemp(['fans', 'list', '--account', 'shop'])
  t.equal(shop.code, EXIT.ok, 'the global option after the command too')
  t.match(JSON.parse(platform.state.requests.last('/cgi-bin/stable_token')?.body ?? '{}'), { appid: other.appId }, 'shop\'s own token')
  const news = await wemp(['--account', 'news', 'custom', 'send', FAN, '早'])
  t.equal(news.code, EXIT.ok)
  t.equal(platform.state.messages.at(-1)?.appId, APP_ID)
})

test('a broken accounts file or WEMP_BOT is 78', async (t) => {
  const { wemp, dir } = await cliAgainstPlatform(t)
  writeFileSync(join(dir, 'menu.json'), JSON.stringify({ button: [{ type: 'click', name: '天气', key: 'WEATHER' }] }))
  const file = await wemp(['fans', 'list'], { WECHAT_ACCOUNTS_FILE: join(dir, 'missing.json'), WECHAT_APPID: '', WECHAT_APPSECRET: '', WECHAT_TOKEN: '' })
  t.same([file.code, file.err], [EXIT.config, 'wemp: WECHAT_ACCOUNTS_FILE cannot be read (ENOENT)\n'])
  const bot = await wemp(['menu', 'check', 'menu.json'], { WEMP_BOT: './no-such-bot.js' })
  t.equal(bot.code, EXIT.config)
  t.match(bot.err, /^wemp: WEMP_BOT cannot be loaded from .*no-such-bot\.js/)
  writeFileSync(join(dir, 'throwing-bot.mjs'), 'export default () => { throw new Error("no database") }\n')
  const throwing = await wemp(['menu', 'check', 'menu.json'], { WEMP_BOT: './throwing-bot.mjs' })
  t.same([throwing.code, throwing.err], [EXIT.config, 'wemp: the bot of default cannot be built: no database\n'])
})

test('WeChat out of reach is 69, with the transport\'s reason', async (t) => {
  const run = await wempRunner({ WECHAT_APPID: APP_ID, WECHAT_APPSECRET: APP_SECRET, WECHAT_API_BASE: 'http://127.0.0.1:9' }, tmpdir())(['--json', 'fans', 'list'])
  t.equal(run.code, EXIT.unavailable)
  t.match(JSON.parse(run.err), { error: { kind: 'network', api: 'stable_token', message: /^WeChat API \/cgi-bin\/stable_token failed \(network\)/ } })
})
