import closeWithGrace from 'close-with-grace'
import Fastify from 'fastify'
import { app } from './app.js'
import { loadConfig, SANDBOX_ORIGIN, type LoadedConfig } from './src/config.js'
import { serverOptions } from './src/server-options.js'

let loaded: LoadedConfig
try {
  loaded = loadConfig(process.env)
} catch (error) {
  // A ConfigError names the variable at fault, never its value.
  process.stderr.write(`wemp: ${(error as Error).message}\n`)
  process.exit(1)
}
const { config, developmentDefaults } = loaded

const server = Fastify(serverOptions(config))
// Slow-loris headers are cut off well before Node's 60 s default.
server.server.headersTimeout = 10_000

if (developmentDefaults.length > 0) {
  server.log.warn({ variables: developmentDefaults },
    'DEVELOPMENT MODE: these variables use built-in development defaults; set them (and NODE_ENV=production) before going live')
}

if (config.apiBase === SANDBOX_ORIGIN) {
  server.log.warn({ sandbox: SANDBOX_ORIGIN }, 'WeChat API calls and web authorization go to the local sandbox: run `npm run sandbox` beside this server')
}

await server.register(app, { config })

closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
  // `err` is set when an uncaught error, rather than a signal, brought us here.
  server.log.warn({ signal, err }, 'closing: requests in flight finish, new ones get 503')
  await server.close()
})

await server.listen({ port: config.port, host: config.host })
