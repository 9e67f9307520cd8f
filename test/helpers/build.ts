import { Writable } from 'node:stream'
import Fastify, { type FastifyInstance } from 'fastify'
import { wemp, type WempOptions } from '../../app.js'
import { withoutFastifyRequestLines } from '../../plugins/access-log.js'
import type { Config } from '../../src/config.js'
import { serverOptions } from '../../src/server-options.js'
import { testConfig } from './config.js'

interface Teardown {
  teardown(fn: () => unknown): void
}

export interface BuildOptions extends Omit<WempOptions, 'config'> {
  config?: Partial<Config>
  /** Collects every log line (at trace level) for log-content assertions. */
  logLines?: string[]
}

/** The app as service.ts builds it, from a config object; closed when the test ends. */
export async function build (t: Teardown, options: BuildOptions = {}): Promise<FastifyInstance> {
  const { config: overrides, logLines, ...appOptions } = options
  const config = testConfig({ ...(logLines === undefined ? {} : { logLevel: 'trace' }), ...overrides })
  const stream = logLines === undefined ? undefined : new Writable({
    write (chunk, _encoding, callback) {
      logLines.push(String(chunk))
      callback()
    }
  })
  const fastify = Fastify({ ...serverOptions(config, stream), ...withoutFastifyRequestLines() })
  await fastify.register(wemp, { config, ...appOptions })
  await fastify.ready()
  t.teardown(() => fastify.close())
  return fastify
}
