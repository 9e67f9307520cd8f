import { ConfigError, validateConfig, WECHAT_JSSDK_URL, type Config } from '../../src/config.js'

/** A complete, valid config for tests; override what a test is about. */
export function testConfig (overrides: Partial<Config> = {}): Config {
  return validateConfig({
    production: false,
    wechatToken: 'testtoken123',
    appId: 'wxtestappid000001',
    appSecret: 'test-app-secret-value-0123456789',
    apiBase: 'http://127.0.0.1:9',
    oauthBase: 'http://127.0.0.1:9',
    // The origin of app.inject's default Host (localhost:80): injected requests are on PUBLIC_URL.
    publicUrl: 'http://localhost',
    sessionSecret: 'test-session-secret-0123456789-abcdefgh',
    signatureMaxAgeSeconds: 300,
    welcomeText: '欢迎关注测试号',
    port: 0,
    host: '127.0.0.1',
    logLevel: 'silent',
    trustProxy: 'loopback',
    messageMode: 'plain',
    redisKeyPrefix: 'wemp:',
    tokenApi: 'stable',
    replyDeadlineMs: 4500,
    lateAnswerLeaseMs: 5000,
    weatherApiBase: 'http://127.0.0.1:9',
    jssdkUrl: WECHAT_JSSDK_URL,
    readyMaxEventLoopDelayMs: 1000,
    readyMaxHeapPercent: 90,
    webRateLimitMax: 60,
    webRateLimitWindowSeconds: 60,
    wechatCallbackIpCheck: false,
    wechatCallbackIpRefreshSeconds: 3600,
    ...overrides
  })
}

/** A production environment with every required variable set to a non-default value. */
export const PRODUCTION_ENV: Readonly<Record<string, string>> = {
  NODE_ENV: 'production',
  WECHAT_TOKEN: 'ProdToken42',
  WECHAT_APPID: 'wx1234567890abcdef',
  WECHAT_APPSECRET: 'prod-appsecret-abcdef0123456789',
  SESSION_SECRET: 'p'.repeat(40)
}

/** The message of the ConfigError that fn throws; fails the test with any other outcome. */
export function configErrorOf (fn: () => unknown): string {
  try {
    fn()
  } catch (err) {
    if (err instanceof ConfigError) return err.message
    throw err
  }
  throw new Error('expected a ConfigError, got none')
}
