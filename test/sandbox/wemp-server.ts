import type { Config } from '../../src/config.js'
import type { BotHandlers } from '../../src/bot/bot.js'
import { echoBotHandlers } from '../../src/bot/echo-bot.js'
import { build } from '../helpers/build.js'
import { testConfig } from '../helpers/config.js'

/** The secrets both sides share in these tests (the wemp test config plus an AES key). */
export const SHARED = {
  token: 'testtoken123',
  appId: 'wxtestappid000001',
  appSecret: 'test-app-secret-value-0123456789',
  encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'
} as const

export const ACCOUNT_ID = 'gh_wempsandbox0'

interface Teardown { teardown(fn: () => unknown): void }

/** The real wemp app on a real port (the echo bot unless handlers are given); returns its /wechat URL. */
export async function startWemp (t: Teardown, config: Partial<Config> = {}, handlers?: BotHandlers): Promise<{ url: string, base: string, config: Config }> {
  const full = testConfig({ encodingAesKey: SHARED.encodingAesKey, accountId: ACCOUNT_ID, ...config })
  const app = await build(t, { config: full, handlers: handlers ?? echoBotHandlers({ welcomeText: full.welcomeText }) })
  const base = await app.listen({ host: '127.0.0.1', port: 0 })
  return { url: `${base}/wechat`, base, config: full }
}
