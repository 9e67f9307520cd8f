import type { FastifyInstance } from 'fastify'
import type { RunningPlatformApi } from '../../sandbox/platform/platform-api.js'
import { APP_ID, APP_SECRET, startPlatform } from '../fixtures/platform-fixture.js'
import { build, type BuildOptions } from './build.js'
import { OAUTH_BASE } from './wechat-login.js'

interface Teardown {
  teardown(fn: () => unknown): void
}

export interface WebApp {
  app: FastifyInstance
  platform: RunningPlatformApi
}

/** The fake WeChat platform on loopback and the app pointed at it (apiBase; oauthBase stays WeChat's, the test plays that page). */
export async function webApp (t: Teardown, options: BuildOptions = {}): Promise<WebApp> {
  const platform = await startPlatform(t)
  const app = await build(t, {
    ...options,
    config: { appId: APP_ID, appSecret: APP_SECRET, apiBase: platform.url, oauthBase: OAUTH_BASE, ...options.config }
  })
  return { app, platform }
}

export const FAN = {
  openid: 'oSandboxFan00000000000000001',
  nickname: '小明',
  avatar: 'https://thirdwx.qlogo.cn/mmopen/vi_32/Q3auHgzwzM4xiaoming0000000001/132'
} as const

export const EXCHANGE_PATH = '/sns/oauth2/access_token'
export const USERINFO_PATH = '/sns/userinfo'
