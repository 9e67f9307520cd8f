import { validateConfig, type Config } from '../../src/config.js'

/** A complete, valid config for tests; override what a test is about. */
export function testConfig (overrides: Partial<Config> = {}): Config {
  return validateConfig({
    production: false,
    wechatToken: 'testtoken123',
    appId: 'wxtestappid000001',
    appSecret: 'test-app-secret-value-0123456789',
    apiBase: 'http://127.0.0.1:9',
    oauthBase: 'http://127.0.0.1:9',
    publicUrl: 'http://localhost:3000',
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
    weatherApiBase: 'http://127.0.0.1:9',
    ...overrides
  })
}
