import { test } from 'tap'
import { DEVELOPMENT_DEFAULTS, loadConfig } from '../../src/config.js'
import { PRODUCTION_ENV, configErrorOf } from '../helpers/config.js'
import { AES_KEY_CURRENT, AES_KEY_PREVIOUS, AES_KEY_ZERO } from '../helpers/wechat-crypto.js'

// WECHAT_MESSAGE_MODE and the EncodingAESKey variables (docs/protocol.md §2: 43 chars of [A-Za-z0-9]).

test('safe or compatible mode without a key in production: an error naming WECHAT_ENCODING_AES_KEY', async (t) => {
  for (const mode of ['safe', 'compatible']) {
    for (const key of [undefined, '']) {
      const env = { ...PRODUCTION_ENV, WECHAT_MESSAGE_MODE: mode, ...(key === undefined ? {} : { WECHAT_ENCODING_AES_KEY: key }) }
      t.equal(configErrorOf(() => loadConfig(env)), `WECHAT_ENCODING_AES_KEY is required when WECHAT_MESSAGE_MODE=${mode}`, `${mode}, ${JSON.stringify(key)}`)
    }
    // The previous key alone does not stand in for the current one.
    t.match(configErrorOf(() => loadConfig({ ...PRODUCTION_ENV, WECHAT_MESSAGE_MODE: mode, WECHAT_ENCODING_AES_KEY_PREVIOUS: AES_KEY_PREVIOUS })),
      /^WECHAT_ENCODING_AES_KEY is required/)
  }
  // Plain mode needs none.
  const { config } = loadConfig(PRODUCTION_ENV)
  t.equal(config.messageMode, 'plain')
  t.equal(config.encodingAesKey, undefined)
})

test('a production key in safe/compatible mode, with and without a previous key', async (t) => {
  for (const mode of ['safe', 'compatible'] as const) {
    const { config } = loadConfig({ ...PRODUCTION_ENV, WECHAT_MESSAGE_MODE: mode, WECHAT_ENCODING_AES_KEY: AES_KEY_CURRENT })
    t.match(config, { messageMode: mode, encodingAesKey: AES_KEY_CURRENT })
    t.equal(config.encodingAesKeyPrevious, undefined)
  }
  const { config } = loadConfig({ ...PRODUCTION_ENV, WECHAT_MESSAGE_MODE: 'safe', WECHAT_ENCODING_AES_KEY: AES_KEY_CURRENT, WECHAT_ENCODING_AES_KEY_PREVIOUS: AES_KEY_PREVIOUS })
  t.equal(config.encodingAesKeyPrevious, AES_KEY_PREVIOUS)
  t.equal(loadConfig({ ...PRODUCTION_ENV, WECHAT_MESSAGE_MODE: 'safe', WECHAT_ENCODING_AES_KEY: AES_KEY_ZERO }).config.encodingAesKey, AES_KEY_ZERO, '43 x A is legal')
})

test('an unknown WECHAT_MESSAGE_MODE is an error naming the variable', async (t) => {
  for (const mode of ['SAFE', 'aes', 'encrypted', ' safe']) {
    t.match(configErrorOf(() => loadConfig({ WECHAT_MESSAGE_MODE: mode })), /^WECHAT_MESSAGE_MODE is invalid/, mode)
  }
})

test('a malformed key is an error naming its variable (42 chars, 44 chars, non-alphanumeric)', async (t) => {
  const bad: Record<string, string> = {
    '42 chars': AES_KEY_CURRENT.slice(0, 42),
    '44 chars': AES_KEY_CURRENT + 'x',
    'with =': AES_KEY_CURRENT.slice(0, 42) + '=',
    'with +': AES_KEY_CURRENT.slice(0, 42) + '+',
    'with /': '/' + AES_KEY_CURRENT.slice(1),
    'with -': '-' + AES_KEY_CURRENT.slice(1),
    'with space': AES_KEY_CURRENT.slice(0, 21) + ' ' + AES_KEY_CURRENT.slice(22),
    'trailing newline': AES_KEY_CURRENT + '\n',
    'non-ASCII': 'é' + AES_KEY_CURRENT.slice(1)
  }
  for (const [name, key] of Object.entries(bad)) {
    for (const env of [{}, PRODUCTION_ENV]) {
      const where = env === PRODUCTION_ENV ? 'production' : 'development'
      t.match(configErrorOf(() => loadConfig({ ...env, WECHAT_MESSAGE_MODE: 'safe', WECHAT_ENCODING_AES_KEY: key })),
        /^WECHAT_ENCODING_AES_KEY is invalid/, `${where}, current: ${name}`)
      t.match(configErrorOf(() => loadConfig({ ...env, WECHAT_MESSAGE_MODE: 'safe', WECHAT_ENCODING_AES_KEY: AES_KEY_CURRENT, WECHAT_ENCODING_AES_KEY_PREVIOUS: key })),
        /^WECHAT_ENCODING_AES_KEY_PREVIOUS is invalid/, `${where}, previous: ${name}`)
    }
  }
  // The error message never echoes the rejected key.
  const message = configErrorOf(() => loadConfig({ WECHAT_MESSAGE_MODE: 'safe', WECHAT_ENCODING_AES_KEY: AES_KEY_CURRENT.slice(0, 42) }))
  t.notMatch(message, AES_KEY_CURRENT.slice(0, 42))
})

test('outside production the development key is the default, and it is a valid key', async (t) => {
  t.match(DEVELOPMENT_DEFAULTS.encodingAesKey, /^[A-Za-z0-9]{43}$/)
  for (const mode of ['safe', 'compatible', 'plain'] as const) {
    for (const env of [{}, { NODE_ENV: 'development' }, { NODE_ENV: 'test' }, { WECHAT_ENCODING_AES_KEY: '' }]) {
      const { config } = loadConfig({ ...env, WECHAT_MESSAGE_MODE: mode })
      t.equal(config.encodingAesKey, DEVELOPMENT_DEFAULTS.encodingAesKey, `${mode} ${JSON.stringify(env)}`)
      t.equal(config.messageMode, mode)
      t.equal(config.encodingAesKeyPrevious, undefined)
    }
  }
  // A key that is set wins over the default.
  t.equal(loadConfig({ WECHAT_MESSAGE_MODE: 'safe', WECHAT_ENCODING_AES_KEY: AES_KEY_CURRENT }).config.encodingAesKey, AES_KEY_CURRENT)
})

test('production refuses the development key', async (t) => {
  for (const mode of ['safe', 'compatible', 'plain']) {
    t.equal(configErrorOf(() => loadConfig({ ...PRODUCTION_ENV, WECHAT_MESSAGE_MODE: mode, WECHAT_ENCODING_AES_KEY: DEVELOPMENT_DEFAULTS.encodingAesKey })),
      'WECHAT_ENCODING_AES_KEY must not be the development default in production', mode)
  }
})

test('production refuses the development key as the previous key too', async (t) => {
  t.match(configErrorOf(() => loadConfig({
    ...PRODUCTION_ENV,
    WECHAT_MESSAGE_MODE: 'safe',
    WECHAT_ENCODING_AES_KEY: AES_KEY_CURRENT,
    WECHAT_ENCODING_AES_KEY_PREVIOUS: DEVELOPMENT_DEFAULTS.encodingAesKey
  })), /^WECHAT_ENCODING_AES_KEY_PREVIOUS must not be the development default in production/)
})
