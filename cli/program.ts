import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander'
import { findProjectRoot } from '../src/project-root.js'
import { openAccount } from './cli-account.js'
import type { CliAccount } from './cli-account.js'
import { createOutput, EXIT } from './cli-output.js'
import type { CliIo, ExitCode, Outcome } from './cli-output.js'
import { customSend } from './custom-commands.js'
import { fansGet, fansList, fansTag } from './fan-commands.js'
import { mediaUpload } from './media-commands.js'
import { menuCheck, menuDelete, menuPush, menuShow } from './menu-commands.js'
import { qrcodeCreate } from './qrcode-commands.js'
import { templateList, templateSend } from './template-commands.js'

export { EXIT } from './cli-output.js'
export type { CliIo } from './cli-output.js'

type Env = Record<string, string | undefined>

export interface CliTiming {
  /** How long to wait for REDIS_URL to answer (tests shorten it). */
  redisWaitMs?: number
}

/** A command: what it does with the account, file arguments relative to `cwd`. */
type Run = (account: CliAccount, cwd: string) => Promise<Outcome>

interface GlobalOptions {
  account?: string
  json?: boolean
}

const VERSION = (JSON.parse(readFileSync(join(findProjectRoot(import.meta.url), 'package.json'), 'utf8')) as { version: string }).version

const EXIT_CODES = `
Exit codes: 0 done; 1 WeChat refused (the errcode and what it means), or would (a limit, a menu check);
64 bad usage; 69 WeChat or REDIS_URL did not answer; 70 unforeseen; 78 bad configuration.`

const CONFIGURATION = `
The configuration is the server's own: WECHAT_APPID, WECHAT_APPSECRET, … or WECHAT_ACCOUNTS_FILE
(then --account picks one), WECHAT_API_BASE, REDIS_URL (the CLI uses the servers' access_token
through it) and WEMP_BOT (the bot that menu check asks).`

/**
 * The `wemp` program: parses the arguments, runs one command against the configured account and
 * returns its exit code. Everything it reads comes in as arguments, so tests run it in-process.
 */
export async function runCli (args: readonly string[], env: Env, io: CliIo, timing: CliTiming = {}): Promise<ExitCode> {
  let exit: ExitCode = EXIT.ok
  const execute = async (command: Command, run: Run): Promise<void> => {
    const global = command.optsWithGlobals<GlobalOptions>()
    exit = await runCommand(run, global, env, io, timing)
  }
  const program = buildProgram(io, execute)
  try {
    await program.parseAsync([...args], { from: 'user' })
  } catch (error) {
    /* c8 ignore next -- the actions catch their own failures: anything else is a bug to see whole */
    if (!(error instanceof CommanderError)) throw error
    // Commander has printed the help or the usage error already.
    return error.exitCode === 0 ? EXIT.ok : EXIT.usage
  }
  return exit
}

async function runCommand (run: Run, global: GlobalOptions, env: Env, io: CliIo, timing: CliTiming): Promise<ExitCode> {
  let account: CliAccount
  try {
    account = await openAccount(env, { accountId: global.account, cwd: io.cwd, ...timing })
  } catch (error) {
    return createOutput(io, global.json === true).fail(error)
  }
  const output = createOutput(io, global.json === true, account.config.apiBase)
  const exit = await run(account, io.cwd).then((outcome) => output.done(outcome), (error: unknown) => output.fail(error))
  await account.close()
  return exit
}

type Execute = (command: Command, run: Run) => Promise<void>

function buildProgram (io: CliIo, execute: Execute): Command {
  const program = new Command('wemp')
    .description('Run a WeChat Official Account from the command line: menus, QR codes, template messages, fans, media, customer-service messages.')
    .version(VERSION)
    .option('--account <id>', 'the account to act for (its id in WECHAT_ACCOUNTS_FILE)')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', `${CONFIGURATION}\n${EXIT_CODES}`)
    .exitOverride()
    .showHelpAfterError('(wemp --help for usage)')
    .configureOutput({ writeOut: (text) => { io.stdout.write(text) }, writeErr: (text) => { io.stderr.write(text) } })
  // Subcommands take these settings from their parent when they are created.
  addMenuCommands(program, execute)
  addQrCodeCommands(program, execute)
  addTemplateCommands(program, execute)
  addFanCommands(program, execute)
  addMediaCommands(program, execute)
  addCustomCommands(program, execute)
  return program
}

/** Every command's help ends with the exit codes. */
function group (program: Command, name: string, description: string): Command {
  return program.command(name).description(description).addHelpText('after', EXIT_CODES)
}

function leaf (parent: Command, name: string, description: string): Command {
  return parent.command(name).description(description).addHelpText('after', EXIT_CODES)
}

function addMenuCommands (program: Command, execute: Execute): void {
  const menu = group(program, 'menu', 'the custom menu (自定义菜单), as code in menu.json')
  leaf(menu, 'push', 'check menu.json against WeChat\'s rules, create the menu, and name the click keys no rule answers')
    .argument('<file>', 'the menu, as menu/create takes it: { "button": [...] }')
    .action(async (file: string, _options, command: Command) => { await execute(command, async (account, cwd) => await menuPush(account, file, cwd)) })
  leaf(menu, 'show', 'the menu made through the API (JSON: menu.json\'s shape) and its conditional menus')
    .action(async (_options, command: Command) => { await execute(command, menuShow) })
  leaf(menu, 'delete', 'delete the default menu and every conditional menu')
    .action(async (_options, command: Command) => { await execute(command, menuDelete) })
  leaf(menu, 'check', 'which click keys no rule of the bot answers (exit 1 if any); a file is checked before it is pushed')
    .argument('[file]', 'a menu.json to check instead of the account\'s menus')
    .addHelpText('after', '\nA key is answered when a rule of the bot (WEMP_BOT, or the default bot) answers its CLICK with a reply;\nreaching only the fallback (the echo\'s 菜单：KEY), no reply, or an error is unanswered.')
    .action(async (file: string | undefined, _options, command: Command) => { await execute(command, async (account, cwd) => await menuCheck(account, file, cwd)) })
}

function positiveInteger (value: string): number {
  if (!/^[0-9]+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('a whole number of seconds, 1 or more')
  return Number(value)
}

function addQrCodeCommands (program: Command, execute: Execute): void {
  const qrcode = group(program, 'qrcode', 'parameter QR codes (带参数二维码) for campaigns')
  leaf(qrcode, 'create', 'create a QR code whose scans report the scene')
    .requiredOption('--scene <scene>', 'digits: a scene_id; anything else: a scene_str (1–64 characters)')
    .addOption(new Option('--expire <seconds>', 'a temporary code\'s lifetime (default 2592000, 30 days)').argParser(positiveInteger))
    .addOption(new Option('--permanent', 'a permanent code (scene ids 1–100000)').conflicts('expire'))
    .option('--out <file>', 'save the image here')
    .action(async (options: { scene: string, expire?: number, permanent?: boolean, out?: string }, command: Command) => {
      await execute(command, async (account, cwd) => await qrcodeCreate(account, { ...options, permanent: options.permanent === true }, cwd))
    })
}

function addTemplateCommands (program: Command, execute: Execute): void {
  const template = group(program, 'template', 'template messages (模板消息)')
  leaf(template, 'send', 'send a template message to a follower')
    .requiredOption('--to <openid>', 'the follower')
    .requiredOption('--template <id>', 'the template_id (wemp template list)')
    .option('--url <url>', 'the page the message opens')
    .argument('[data...]', 'the values, key=value each (e.g. thing2=保温杯)')
    .action(async (data: string[], options: { to: string, template: string, url?: string }, command: Command) => {
      await execute(command, async (account) => await templateSend(account, { ...options, data }))
    })
  leaf(template, 'list', 'the account\'s templates and the keys each fills')
    .action(async (_options, command: Command) => { await execute(command, templateList) })
}

function addFanCommands (program: Command, execute: Execute): void {
  const fans = group(program, 'fans', 'followers (粉丝) and their tags')
  leaf(fans, 'list', 'every follower\'s openid')
    .action(async (_options, command: Command) => { await execute(command, fansList) })
  leaf(fans, 'get', 'a follower: since when, from which scene, remark and tags')
    .argument('<openid>')
    .action(async (openid: string, _options, command: Command) => { await execute(command, async (account) => await fansGet(account, openid)) })
  leaf(fans, 'tag', 'tag a follower; TAG is a tag id or a name (created when no tag has it)')
    .argument('<openid>')
    .argument('<tag>')
    .action(async (openid: string, tag: string, _options, command: Command) => { await execute(command, async (account) => await fansTag(account, openid, tag)) })
}

function addMediaCommands (program: Command, execute: Execute): void {
  const media = group(program, 'media', 'media (临时素材) and permanent material (永久素材)')
  leaf(media, 'upload', 'upload a file; prints its media_id')
    .argument('<file>')
    .addOption(new Option('--type <type>', 'the media type').choices(['image', 'voice', 'video', 'thumb']).makeOptionMandatory())
    .option('--permanent', 'permanent material instead of three-day media')
    .option('--title <title>', 'a permanent video\'s title')
    .option('--introduction <text>', 'a permanent video\'s introduction')
    .action(async (file: string, options: { type: 'image' | 'voice' | 'video' | 'thumb', permanent?: boolean, title?: string, introduction?: string }, command: Command) => {
      await execute(command, async (account, cwd) => await mediaUpload(account, { ...options, file, permanent: options.permanent === true }, cwd))
    })
}

function addCustomCommands (program: Command, execute: Execute): void {
  const custom = group(program, 'custom', 'customer-service messages (客服消息), within 48 hours of the fan\'s last message')
  leaf(custom, 'send', 'send a text (split at 2048 bytes), or an uploaded image or voice')
    .argument('<openid>')
    .argument('[text...]')
    .option('--image <media_id>', 'send this image instead of a text')
    .option('--voice <media_id>', 'send this voice message instead of a text')
    .action(async (openid: string, text: string[], options: { image?: string, voice?: string }, command: Command) => {
      await execute(command, async (account) => await customSend(account, { openid, text, ...options }))
    })
}
