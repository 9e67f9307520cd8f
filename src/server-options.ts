import type { FastifyServerOptions } from 'fastify'
import type { DestinationStream } from 'pino'
import type { Config } from './config.js'
import { loggerOptions } from './logging.js'

/** Fastify's server options for a config: shared by service.ts and the tests' build helper. */
export function serverOptions (config: Config, logStream?: DestinationStream): FastifyServerOptions {
  return {
    logger: loggerOptions(config.logLevel, logStream),
    // Slow or stalled clients are cut off; WeChat itself gives up after 5 s.
    requestTimeout: 10_000,
    connectionTimeout: 15_000,
    keepAliveTimeout: 5_000,
    bodyLimit: 1024 * 1024,
    trustProxy: config.trustProxy === 'true' ? true : config.trustProxy === 'false' ? false : config.trustProxy,
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true }
  }
}
