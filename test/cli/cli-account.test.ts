import { tmpdir } from 'node:os'
import { test } from 'tap'
import { EXIT } from '../../cli/program.js'
import { APP_ID, APP_SECRET, startPlatform } from '../fixtures/platform-fixture.js'
import { build } from '../helpers/build.js'
import { deleteKeysWithPrefix, redisUrlOrSkip, uniqueKeyPrefix } from '../helpers/redis.js'
import { FAN, platformEnv, wempRunner } from './cli-fixture.js'

const TOKEN_PATH = '/cgi-bin/stable_token'

test('with REDIS_URL the CLI and the server share one access_token, whoever fetched it', async (t) => {
  const url = await redisUrlOrSkip(t)
  if (url === undefined) return
  const prefix = uniqueKeyPrefix('cli-token')
  t.teardown(async () => { await deleteKeysWithPrefix(url, prefix) })
  const platform = await startPlatform(t)
  const server = await build(t, { config: { redisUrl: url, redisKeyPrefix: prefix, appId: APP_ID, appSecret: APP_SECRET, apiBase: platform.url } })
  const serverApi = server.wemp.accounts.get('default')?.api
  const first = await serverApi?.accessToken()
  t.equal(platform.state.callCount(TOKEN_PATH), 1, 'the server fetched the token')

  const wemp = wempRunner(platformEnv(platform, { REDIS_URL: url, REDIS_KEY_PREFIX: prefix }), tmpdir())
  t.equal((await wemp(['custom', 'send', FAN, '你好'])).code, EXIT.ok)
  t.equal(platform.state.callCount(TOKEN_PATH), 1, 'the CLI used the server\'s token: no fetch of its own')

  // The token ends early (WeChat does that): the CLI renews it once, and the server uses that one.
  platform.state.expireToken(first as string)
  t.equal((await wemp(['fans', 'list'])).code, EXIT.ok)
  t.equal(platform.state.callCount(TOKEN_PATH), 2)
  const renewed = await serverApi?.accessToken()
  t.not(renewed, first)
  t.equal(platform.state.callCount(TOKEN_PATH), 2, 'the server found the CLI\'s token in Redis')
  t.ok(platform.state.credentials.validTokens().includes(renewed as string))

  const classic = await wemp(['fans', 'list'], { WECHAT_TOKEN_API: 'classic' })
  t.equal(classic.code, EXIT.ok, 'the classic API is allowed beside REDIS_URL: the token is shared')
})

test('a REDIS_URL that does not answer is 69: the CLI fetches no token of its own', async (t) => {
  const platform = await startPlatform(t)
  const wemp = wempRunner(platformEnv(platform, { REDIS_URL: 'redis://127.0.0.1:9' }), tmpdir())
  const run = await wemp(['fans', 'list'])
  t.same([run.code, run.err], [EXIT.unavailable, 'wemp: REDIS_URL does not answer within 300 ms: the CLI shares the servers\' access_token through it and fetches none of its own\n'])
  t.equal(platform.state.callCount(TOKEN_PATH), 0)
})
