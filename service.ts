import closeWithGrace from 'close-with-grace'
import Fastify from 'fastify'
import { wemp } from './app.js'
import { withoutFastifyRequestLines } from './plugins/access-log.js'
import type { AccountSettings } from './src/accounts/account-settings.js'
import { configuredAccounts } from './src/accounts/configured-accounts.js'
import { boundHeapGrowth } from './src/heap-growth.js'
import { youngGenerationNote } from './src/young-generation.js'
import { loadUserBot } from './src/accounts/user-bot.js'
import { loadConfig, SANDBOX_ORIGIN, type LoadedConfig } from './src/config.js'
import { asyncLogDestination, written } from './src/logging.js'
import { profilePageUrl } from './src/oauth/web-paths.js'
import { serverOptions } from './src/server-options.js'

let loaded: LoadedConfig
let accounts: AccountSettings[]
let bot: Awaited<ReturnType<typeof loadUserBot>>
try {
  loaded = loadConfig(process.env)
  accounts = configuredAccounts(loaded.config, process.env)
  bot = await loadUserBot(process.env.WEMP_BOT, process.cwd())
} catch (error) {
  // A ConfigError names the variable (and the account and field) at fault, never its value.
  process.stderr.write(`wemp: ${(error as Error).message}\n`)
  process.exit(1)
}
const { config, developmentDefaults } = loaded
// Before the app allocates: the bound applies to every full collection from here on.
const heapGrowth = boundHeapGrowth(config.redisUrl !== undefined)

// Lines go out asynchronously: a slow reader of stdout (a pipe to a log shipper) never holds up a
// push. What is still buffered is written before the process exits (below, and pino's exit hook).
const logDestination = asyncLogDestination()
const server = Fastify({ ...serverOptions(config, logDestination), ...withoutFastifyRequestLines() })
// Slow-loris headers are cut off well before Node's 60 s default.
server.server.headersTimeout = 10_000

if (developmentDefaults.length > 0) {
  server.log.warn({ variables: developmentDefaults },
    'DEVELOPMENT MODE: these variables use built-in development defaults; set them (and NODE_ENV=production) before going live')
}

if (config.apiBase === SANDBOX_ORIGIN) {
  server.log.warn({ sandbox: SANDBOX_ORIGIN }, 'WeChat API calls and web authorization go to the local sandbox: run `npm run sandbox` beside this server')
}

await server.register(wemp, { config, accounts, ...(bot !== undefined && { bot }) })
server.log.info({
  accounts: accounts.map((account) => account.id),
  heapGrowth: heapGrowth ?? 'V8 default or as given to node',
  youngGeneration: youngGenerationNote(process.execArgv, process.env.NODE_OPTIONS)
}, 'serving accounts')

// SIGHUP re-reads the accounts file: a file that fails its checks is refused and the running set stays.
process.on('SIGHUP', () => {
  try {
    const change = server.wemp.reload(configuredAccounts(config, process.env))
    server.log.info(change, 'accounts reloaded')
  } catch (error) {
    server.log.error({ reason: (error as Error).message }, 'accounts not reloaded; the running accounts stay')
  }
})

// SIGHUP is ours: it reloads the accounts, it does not close the server.
closeWithGrace({ delay: 10_000, skip: ['SIGHUP'] }, async ({ signal, err }) => {
  // `err` is set when an uncaught error, rather than a signal, brought us here.
  server.log.warn({ signal, err }, 'closing: requests in flight finish, new ones get 503')
  await server.close()
  await written(logDestination)
})

await server.listen({ port: config.port, host: config.host })
server.log.info({ pages: accounts.map((account) => profilePageUrl(config.publicUrl, account.id)) }, 'web pages are on PUBLIC_URL: open the profile page there to sign in (other origins are redirected to it)')
