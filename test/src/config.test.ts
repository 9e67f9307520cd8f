import { test } from 'tap'
import { ConfigError, DEVELOPMENT_DEFAULTS, SANDBOX_ORIGIN, loadConfig, validateConfig } from '../../src/config.js'
import { PRODUCTION_ENV, configErrorOf, testConfig } from '../helpers/config.js'

const REQUIRED = ['WECHAT_TOKEN', 'WECHAT_APPID', 'WECHAT_APPSECRET', 'SESSION_SECRET'] as const

test('an empty environment gives the development defaults', async (t) => {
  const { config, developmentDefaults } = loadConfig({})
  t.match(config, {
    production: false,
    wechatToken: DEVELOPMENT_DEFAULTS.wechatToken,
    appId: DEVELOPMENT_DEFAULTS.appId,
    appSecret: DEVELOPMENT_DEFAULTS.appSecret,
    apiBase: 'http://127.0.0.1:3100',
    oauthBase: 'http://127.0.0.1:3100',
    publicUrl: 'http://localhost:3000',
    sessionSecret: DEVELOPMENT_DEFAULTS.sessionSecret,
    signatureMaxAgeSeconds: 300,
    welcomeText: '欢迎关注！发送“北京天气”或你的位置查天气，其他消息我会原样回复你。',
    port: 3000,
    host: '0.0.0.0',
    logLevel: 'info',
    trustProxy: 'loopback'
  })
  t.equal(config.accountId, undefined, 'no account id unless set')
  t.same(developmentDefaults.sort(), [...REQUIRED].sort(), 'every required variable that fell back is announced')
})

test('a development start without an AppID talks to the local sandbox; with one, to WeChat', async (t) => {
  t.match(loadConfig({}).config, { apiBase: SANDBOX_ORIGIN, oauthBase: SANDBOX_ORIGIN })
  t.match(loadConfig({ WECHAT_APPID: 'wxreal' }).config, { apiBase: 'https://api.weixin.qq.com', oauthBase: 'https://open.weixin.qq.com' })
  const production = { NODE_ENV: 'production', WECHAT_TOKEN: 'prodtoken1', WECHAT_APPID: 'wxp', WECHAT_APPSECRET: 'secret', SESSION_SECRET: 'p'.repeat(40) }
  t.match(loadConfig(production).config, { apiBase: 'https://api.weixin.qq.com', oauthBase: 'https://open.weixin.qq.com' })
})

test('WECHAT_JSSDK_URL: the sandbox\'s stand-in while the API goes to the sandbox in development, else WeChat\'s', async (t) => {
  const official = 'https://res.wx.qq.com/open/js/jweixin-1.6.0.js'
  const standIn = `${SANDBOX_ORIGIN}/open/js/jweixin-1.6.0.js`
  t.equal(loadConfig({}).config.jssdkUrl, standIn, 'unconfigured: the API is the sandbox, so is the JS-SDK')
  t.equal(loadConfig({ WECHAT_APPID: 'wxreal' }).config.jssdkUrl, official)
  t.equal(loadConfig({ WECHAT_APPID: 'wxreal', WECHAT_API_BASE: SANDBOX_ORIGIN }).config.jssdkUrl, standIn, 'an API pointed at the sandbox by hand')
  t.equal(loadConfig({ WECHAT_API_BASE: 'https://api.weixin.qq.com' }).config.jssdkUrl, official, 'the API pointed at WeChat by hand')
  t.equal(loadConfig({ ...PRODUCTION_ENV, WECHAT_API_BASE: SANDBOX_ORIGIN }).config.jssdkUrl, official, 'never the stand-in in production')
  t.equal(loadConfig({ WECHAT_JSSDK_URL: 'https://cdn.example.com/js/jweixin-1.6.0.js' }).config.jssdkUrl, 'https://cdn.example.com/js/jweixin-1.6.0.js')
  for (const bad of ['res.wx.qq.com/open/js/jweixin-1.6.0.js', 'https://res.wx.qq.com', 'javascript:alert(1)', 'https://res.wx.qq.com/a.js#x']) {
    t.match(configErrorOf(() => loadConfig({ WECHAT_JSSDK_URL: bad })), /^WECHAT_JSSDK_URL is invalid/, bad)
  }
})

test('empty strings count as unset in development', async (t) => {
  const env = Object.fromEntries(REQUIRED.map((name) => [name, '']))
  const { config, developmentDefaults } = loadConfig({ ...env, WECHAT_ACCOUNT_ID: '', PORT: '' })
  t.equal(config.wechatToken, DEVELOPMENT_DEFAULTS.wechatToken)
  t.equal(config.port, 3000)
  t.equal(config.accountId, undefined)
  t.equal(developmentDefaults.length, REQUIRED.length)
})

test('every variable is mapped to its setting, integers parsed', async (t) => {
  const { config, developmentDefaults } = loadConfig({
    WECHAT_TOKEN: 'abcDEF123',
    WECHAT_APPID: 'wxappid',
    WECHAT_APPSECRET: 'the-secret',
    WECHAT_ACCOUNT_ID: 'gh_abc123',
    WECHAT_API_BASE: 'http://127.0.0.1:8081',
    WECHAT_OAUTH_BASE: 'https://oauth.example.com',
    PUBLIC_URL: 'https://wemp.example.com',
    SESSION_SECRET: 's'.repeat(32),
    SIGNATURE_MAX_AGE_SECONDS: '45',
    WECHAT_WELCOME_TEXT: 'hi there',
    PORT: '8080',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'debug',
    TRUST_PROXY: '10.0.0.0/8'
  })
  t.match(config, {
    production: false,
    wechatToken: 'abcDEF123',
    appId: 'wxappid',
    appSecret: 'the-secret',
    accountId: 'gh_abc123',
    apiBase: 'http://127.0.0.1:8081',
    oauthBase: 'https://oauth.example.com',
    publicUrl: 'https://wemp.example.com',
    sessionSecret: 's'.repeat(32),
    signatureMaxAgeSeconds: 45,
    welcomeText: 'hi there',
    port: 8080,
    host: '127.0.0.1',
    logLevel: 'debug',
    trustProxy: '10.0.0.0/8'
  })
  t.equal(typeof config.port, 'number')
  t.equal(typeof config.signatureMaxAgeSeconds, 'number')
  t.same(developmentDefaults, [], 'nothing fell back')
})

test('integers: 0 is kept, non-integers are refused naming the variable', async (t) => {
  t.equal(loadConfig({ SIGNATURE_MAX_AGE_SECONDS: '0' }).config.signatureMaxAgeSeconds, 0)
  t.equal(loadConfig({ PORT: '0' }).config.port, 0)
  for (const value of ['80.5', '-1', 'abc', '1e3', '0x50']) {
    t.match(configErrorOf(() => loadConfig({ PORT: value })), /^PORT is invalid/, `PORT=${JSON.stringify(value)}`)
    t.match(configErrorOf(() => loadConfig({ SIGNATURE_MAX_AGE_SECONDS: value })), /^SIGNATURE_MAX_AGE_SECONDS is invalid/,
      `SIGNATURE_MAX_AGE_SECONDS=${JSON.stringify(value)}`)
  }
  t.match(configErrorOf(() => loadConfig({ PORT: '65536' })), /^PORT is invalid/, 'above the port range')
})

test('PORT with a space is refused as PORT', async (t) => {
  t.match(configErrorOf(() => loadConfig({ PORT: ' 80' })), /^PORT is invalid/)
  t.match(configErrorOf(() => loadConfig({ PORT: '80/x' })), /^PORT is invalid/)
})

test('PUBLIC_URL defaults to localhost on PORT', async (t) => {
  t.equal(loadConfig({ PORT: '8080' }).config.publicUrl, 'http://localhost:8080')
  t.equal(loadConfig({}).config.publicUrl, 'http://localhost:3000')
  t.equal(loadConfig({ PORT: '8080', PUBLIC_URL: 'https://x.example' }).config.publicUrl, 'https://x.example', 'an explicit PUBLIC_URL wins')
})

test('production accepts a complete environment and reports no development defaults', async (t) => {
  const { config, developmentDefaults } = loadConfig(PRODUCTION_ENV)
  t.equal(config.production, true)
  t.equal(config.wechatToken, 'ProdToken42')
  t.same(developmentDefaults, [])
  t.equal(loadConfig({ ...PRODUCTION_ENV, NODE_ENV: 'Production' }).config.production, false, 'only the exact value "production" counts')
})

test('production refuses each required variable missing or empty, naming it', async (t) => {
  for (const name of REQUIRED) {
    const missing = { ...PRODUCTION_ENV }
    delete missing[name]
    const message = configErrorOf(() => loadConfig(missing))
    t.match(message, new RegExp(`^${name} is required`), `${name} missing`)
    t.equal(configErrorOf(() => loadConfig({ ...PRODUCTION_ENV, [name]: '' })), message, `${name} empty`)
  }
})

test('production refuses a development default given explicitly, naming the variable', async (t) => {
  const cases = {
    WECHAT_TOKEN: DEVELOPMENT_DEFAULTS.wechatToken,
    WECHAT_APPID: DEVELOPMENT_DEFAULTS.appId,
    WECHAT_APPSECRET: DEVELOPMENT_DEFAULTS.appSecret,
    SESSION_SECRET: DEVELOPMENT_DEFAULTS.sessionSecret,
    WECHAT_ENCODING_AES_KEY: DEVELOPMENT_DEFAULTS.encodingAesKey
  }
  t.equal(Object.keys(cases).length, Object.keys(DEVELOPMENT_DEFAULTS).length, 'every development default is tried')
  for (const [name, value] of Object.entries(cases)) {
    t.match(configErrorOf(() => loadConfig({ ...PRODUCTION_ENV, [name]: value })),
      new RegExp(`^${name} must not be the development default`), name)
    t.doesNotThrow(() => loadConfig({ [name]: value }), `${name} with its default is fine in development`)
  }
})

test('production refuses the development EncodingAESKey as the previous key too', async (t) => {
  t.match(configErrorOf(() => loadConfig({ ...PRODUCTION_ENV, WECHAT_ENCODING_AES_KEY_PREVIOUS: DEVELOPMENT_DEFAULTS.encodingAesKey })),
    /^WECHAT_ENCODING_AES_KEY_PREVIOUS must not be the development default/)
  t.equal(loadConfig({ ...PRODUCTION_ENV, WECHAT_ENCODING_AES_KEY_PREVIOUS: 'p'.repeat(43) }).config.encodingAesKeyPrevious, 'p'.repeat(43))
})

test('invalid values are refused with the variable named', async (t) => {
  const cases: Array<[string, string]> = [
    ['WECHAT_TOKEN', 'abc-def'],
    ['WECHAT_TOKEN', 'ab'],
    ['WECHAT_TOKEN', 'a'.repeat(33)],
    ['WECHAT_TOKEN', 'token with space'],
    ['WECHAT_ACCOUNT_ID', 'wx123'],
    ['WECHAT_ACCOUNT_ID', 'gh_'],
    ['SESSION_SECRET', 'x'.repeat(31)],
    ['PUBLIC_URL', 'https://example.com/wechat'],
    ['PUBLIC_URL', 'https://example.com/'],
    ['PUBLIC_URL', 'https://example.com?x=1'],
    ['PUBLIC_URL', 'ftp://example.com'],
    ['PUBLIC_URL', 'example.com'],
    ['WECHAT_API_BASE', 'https://api.weixin.qq.com/cgi-bin'],
    ['WECHAT_OAUTH_BASE', 'open.weixin.qq.com'],
    ['LOG_LEVEL', 'bogus'],
    ['LOG_LEVEL', 'INFO'],
    ['WECHAT_WELCOME_TEXT', 'w'.repeat(601)]
  ]
  for (const [name, value] of cases) {
    t.match(configErrorOf(() => loadConfig({ [name]: value })), new RegExp(`^${name} is invalid`), `${name}=${value.slice(0, 40)}`)
  }
  t.doesNotThrow(() => loadConfig({ WECHAT_TOKEN: 'abc', SESSION_SECRET: 'x'.repeat(32), WECHAT_WELCOME_TEXT: 'w'.repeat(600) }), 'the bounds themselves')
})

test('the error message never carries the refused value', async (t) => {
  const secret = 'short-secret-value'
  const message = configErrorOf(() => loadConfig({ SESSION_SECRET: secret }))
  t.notMatch(message, secret)
})

test('ConfigError is an Error named ConfigError', async (t) => {
  const err = new ConfigError('x')
  t.ok(err instanceof Error)
  t.equal(err.name, 'ConfigError')
})

test('validateConfig checks objects built by hand', async (t) => {
  const valid = testConfig()
  t.equal(validateConfig(valid), valid, 'a valid object is returned as is')
  t.match(configErrorOf(() => validateConfig({ ...valid, production: 'yes' })), /^production is invalid/, 'a field with no variable is named by its key')
  t.match(configErrorOf(() => validateConfig({ ...valid, wechatToken: undefined })), /^WECHAT_TOKEN is invalid/, 'a missing field is named by its variable')
  t.match(configErrorOf(() => validateConfig(null)), / is invalid/, 'not an object')
  t.match(configErrorOf(() => validateConfig({ ...valid, production: true, sessionSecret: DEVELOPMENT_DEFAULTS.sessionSecret })),
    /^SESSION_SECRET must not be the development default/)
  t.doesNotThrow(() => validateConfig({ ...valid, production: true }), 'production with non-default values')
})

test('an encrypted message mode needs an EncodingAESKey', async (t) => {
  for (const mode of ['safe', 'compatible']) {
    t.match(configErrorOf(() => loadConfig({ ...PRODUCTION_ENV, WECHAT_MESSAGE_MODE: mode })), /^WECHAT_ENCODING_AES_KEY is required/, mode)
  }
  t.equal(loadConfig({ ...PRODUCTION_ENV, WECHAT_MESSAGE_MODE: 'safe', WECHAT_ENCODING_AES_KEY: 'k'.repeat(43) }).config.messageMode, 'safe')
  t.equal(loadConfig({ WECHAT_MESSAGE_MODE: 'safe' }).config.encodingAesKey, DEVELOPMENT_DEFAULTS.encodingAesKey, 'development falls back to the shared key')
})

test('WECHAT_ACCOUNTS_FILE: the single-account variables are neither required nor allowed beside it', async (t) => {
  const { WECHAT_TOKEN: _t, WECHAT_APPID: _a, WECHAT_APPSECRET: _s, ...server } = PRODUCTION_ENV
  const { config, developmentDefaults } = loadConfig({ ...server, WECHAT_ACCOUNTS_FILE: 'accounts.json' })
  t.equal(config.accountsFile, 'accounts.json')
  t.same(developmentDefaults, [], 'production with a file: nothing falls back')
  t.equal(config.apiBase, 'https://api.weixin.qq.com')
  t.equal(loadConfig({ WECHAT_ACCOUNTS_FILE: 'accounts.json' }).config.apiBase, 'https://api.weixin.qq.com', 'a file of real accounts talks to WeChat, not the sandbox')
  t.equal(configErrorOf(() => loadConfig({ ...PRODUCTION_ENV, WECHAT_ACCOUNTS_FILE: 'accounts.json' })),
    'WECHAT_TOKEN is set beside WECHAT_ACCOUNTS_FILE: describe every account in the file')
  t.equal(configErrorOf(() => loadConfig({ ...server, SESSION_SECRET: '', WECHAT_ACCOUNTS_FILE: 'accounts.json' })),
    'SESSION_SECRET is required when NODE_ENV=production', 'server-wide settings are still required')
  t.equal(configErrorOf(() => loadConfig({ ...server, SESSION_SECRET: 'wemp-development-session-secret-change-me', WECHAT_ACCOUNTS_FILE: 'accounts.json' })),
    'SESSION_SECRET must not be the development default in production')
})

test('LATE_ANSWER_LEASE_MS: 5 s by default, an integer from 1 s to a minute', async (t) => {
  t.equal(loadConfig({}).config.lateAnswerLeaseMs, 5000)
  t.equal(loadConfig({ LATE_ANSWER_LEASE_MS: '1500' }).config.lateAnswerLeaseMs, 1500)
  for (const bad of ['999', '60001', '2.5', 'soon']) {
    t.match(configErrorOf(() => loadConfig({ LATE_ANSWER_LEASE_MS: bad })), /^LATE_ANSWER_LEASE_MS is invalid/, bad)
  }
})
