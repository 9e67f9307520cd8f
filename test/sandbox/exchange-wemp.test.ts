import { test } from 'tap'
import { parseEncodingAesKey } from '../../src/protocol/aes-key.js'
import { reply } from '../../src/protocol/reply.js'
import { runExchange } from '../../sandbox/exchange.js'
import type { FanAction } from '../../sandbox/fan-message.js'
import type { MessageMode } from '../../sandbox/push-envelope.js'
import { ACCOUNT_ID, SHARED, startWemp } from './wemp-server.js'

const FAN = 'oSandboxFan00000000000000001'
const secrets = { token: SHARED.token, appId: SHARED.appId, aesKey: parseEncodingAesKey(SHARED.encodingAesKey) }

for (const mode of ['plain', 'compatible', 'safe'] as MessageMode[]) {
  test(`${mode} mode: wemp accepts the sandbox's signature${mode === 'plain' ? '' : ' and encryption'} and its echo comes back`, async (t) => {
    const wemp = await startWemp(t, { messageMode: mode })
    const exchange = await runExchange({ serverUrl: wemp.url, mode, secrets, accountId: ACCOUNT_ID, openid: FAN, action: { kind: 'text', content: '北京天气 <&]]>' } })
    t.same(exchange.result, { kind: 'reply', reply: { type: 'text', content: '北京天气 <&]]>' } })
    t.equal(exchange.attempts.length, 1)
    t.equal(exchange.attempts[0]?.status, 200)
    const query = new URL(exchange.attempts[0]!.url).searchParams
    t.equal(query.get('openid'), FAN)
    t.match(query.get('signature'), /^[0-9a-f]{40}$/)
    if (mode === 'plain') {
      t.equal(exchange.requestBody, exchange.pushXml, 'plain mode posts the XML as it is')
      t.equal(query.get('encrypt_type'), null)
      t.equal(exchange.signature, undefined)
      return
    }
    t.equal(query.get('encrypt_type'), 'aes')
    t.match(query.get('msg_signature'), /^[0-9a-f]{40}$/)
    t.match(exchange.requestBody, /<Encrypt><!\[CDATA\[[A-Za-z0-9+/=]+\]\]><\/Encrypt>/)
    if (mode === 'safe') t.notMatch(exchange.requestBody, /北京/, 'safe mode sends no plaintext')
    else t.match(exchange.requestBody, /<Content><!\[CDATA\[北京天气/, 'compatible mode keeps the plaintext fields')
    t.ok(exchange.signature?.ok, 'the reply MsgSignature verifies')
    t.match(exchange.decryptedReply, /<ToUserName><!\[CDATA\[oSandboxFan00000000000000001\]\]>/)
  })
}

test('a wrong token: wemp refuses with 403, WeChat retries, the fan sees the error', async (t) => {
  const wemp = await startWemp(t)
  const exchange = await runExchange({
    serverUrl: wemp.url, mode: 'plain', secrets: { ...secrets, token: 'wrongtoken' }, accountId: ACCOUNT_ID, openid: FAN, action: { kind: 'text', content: 'hi' }, retries: 1
  })
  t.equal(exchange.result.kind, 'unavailable')
  t.same(exchange.attempts.map((a) => [a.result, a.status]), [['http-error', 403], ['http-error', 403]])
  t.match(exchange.result, { reason: /2 次投递都失败.*HTTP 403/ })
})

test('every fan action reaches the echo bot as WeChat would push it', async (t) => {
  const wemp = await startWemp(t, { messageMode: 'safe', welcomeText: '欢迎' })
  const cases: Array<[FanAction, unknown]> = [
    [{ kind: 'location', latitude: 31.240167, longitude: 121.490317, label: '上海外滩' }, { type: 'text', content: '你的位置：上海外滩\n纬度 31.240167，经度 121.490317' }],
    [{ kind: 'image' }, { type: 'image', mediaId: String }],
    [{ kind: 'voice' }, { type: 'voice', mediaId: String }],
    [{ kind: 'link', url: 'https://example.com/a', title: 'A' }, { type: 'text', content: '收到链接：A\nhttps://example.com/a' }],
    [{ kind: 'link', url: 'https://example.com/b' }, { type: 'text', content: '收到链接：https://example.com/b\nhttps://example.com/b' }],
    [{ kind: 'subscribe' }, { type: 'text', content: '欢迎' }],
    [{ kind: 'subscribe', scene: 'poster7' }, { type: 'text', content: '欢迎\n（来自二维码场景：poster7）' }],
    [{ kind: 'scan', scene: 'poster7' }, { type: 'text', content: '扫码场景：poster7' }],
    [{ kind: 'click', key: 'V1001' }, { type: 'text', content: '菜单：V1001' }]
  ]
  for (const [action, expected] of cases) {
    const exchange = await runExchange({ serverUrl: wemp.url, mode: 'safe', secrets, accountId: ACCOUNT_ID, openid: FAN, action, now: () => 1714112445 })
    t.match(exchange.result, { kind: 'reply', reply: expected }, action.kind)
  }
  for (const action of [{ kind: 'unsubscribe' }, { kind: 'view', url: 'https://example.com/menu' }] as FanAction[]) {
    const exchange = await runExchange({ serverUrl: wemp.url, mode: 'safe', secrets, accountId: ACCOUNT_ID, openid: FAN, action })
    t.same(exchange.result, { kind: 'silent' }, `${action.kind}: no reply, nothing shown`)
    t.equal(exchange.msgType, 'event')
    t.equal(exchange.msgId, undefined, 'events carry no MsgId')
  }
})

test('transfer to customer service and a news reply from wemp are read as WeChat reads them', async (t) => {
  const wemp = await startWemp(t, {}, {
    text: () => reply.transferToCustomerService('kf2001@gh'),
    image: () => reply.news([{ title: 'T', description: 'D', picUrl: 'https://example.com/p.png', url: 'https://example.com' }])
  })
  const transfer = await runExchange({ serverUrl: wemp.url, mode: 'plain', secrets, accountId: ACCOUNT_ID, openid: FAN, action: { kind: 'text', content: '人工' } })
  t.same(transfer.result, { kind: 'reply', reply: { type: 'transfer_customer_service', kfAccount: 'kf2001@gh' } })
  const news = await runExchange({ serverUrl: wemp.url, mode: 'plain', secrets, accountId: ACCOUNT_ID, openid: FAN, action: { kind: 'image' } })
  t.same(news.result, { kind: 'reply', reply: { type: 'news', articles: [{ title: 'T', description: 'D', picUrl: 'https://example.com/p.png', url: 'https://example.com' }] } })
})
