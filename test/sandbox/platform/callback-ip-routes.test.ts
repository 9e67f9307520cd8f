import { test } from 'tap'
import { parseEncodingAesKey } from '../../../src/protocol/aes-key.js'
import { runExchange } from '../../../sandbox/exchange.js'
import { startPlatform } from '../../fixtures/platform-fixture.js'
import { ACCOUNT_ID, SHARED, startWemp } from '../wemp-server.js'

const FAN = 'oSandboxFan00000000000000001'
const secrets = { token: SHARED.token, appId: SHARED.appId, aesKey: parseEncodingAesKey(SHARED.encodingAesKey) }

test('getcallbackip lists loopback: wemp with WECHAT_CALLBACK_IP_CHECK on answers the sandbox\'s pushes; off the list, they get 403', async (t) => {
  const platform = await startPlatform(t, { appId: SHARED.appId, appSecret: SHARED.appSecret })
  const wemp = await startWemp(t, { apiBase: platform.url, wechatCallbackIpCheck: true, wechatCallbackIpRefreshSeconds: 1 })
  const exchange = async () => await runExchange({ serverUrl: wemp.url, mode: 'plain', secrets, accountId: ACCOUNT_ID, openid: FAN, action: { kind: 'text', content: 'hi' }, retries: 0 })
  t.same((await exchange()).result, { kind: 'reply', reply: { type: 'text', content: 'hi' } }, 'over a real socket from 127.0.0.1')

  platform.state.callbackIps.splice(0, Infinity, '101.226.103.0/25')
  // The next refresh (within a second) drops loopback.
  const deadline = Date.now() + 3000
  let refused = await exchange()
  while (refused.result.kind === 'reply' && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    refused = await exchange()
  }
  t.same(refused.attempts.map((a) => [a.result, a.status]), [['http-error', 403]])
})
