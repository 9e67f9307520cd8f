import { test } from 'tap'
import { parseEncodingAesKey } from '../../src/protocol/aes-key.js'
import { decryptMessage, messageSignature } from '../../src/protocol/message-crypto.js'
import { wechatSignature } from '../../src/protocol/signature.js'
import { buildFanMessage, randomMsgId } from '../../sandbox/fan-message.js'
import { randomNonce, sealPush } from '../../sandbox/push-envelope.js'

const key = parseEncodingAesKey('abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG')
const secrets = { token: 'testtoken123', appId: 'wxtestappid000001', aesKey: key }
const message = buildFanMessage({ kind: 'text', content: '你好' }, { openid: 'oFan', accountId: 'gh_acc', createTime: 1714112445, msgId: '6054768590064713728' })

test('the fan message has the header WeChat pushes and the given MsgId', async (t) => {
  t.equal(message.xml, '<xml><ToUserName><![CDATA[gh_acc]]></ToUserName><FromUserName><![CDATA[oFan]]></FromUserName>' +
    '<CreateTime>1714112445</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[你好]]></Content><MsgId>6054768590064713728</MsgId></xml>')
  t.match(randomMsgId(), /^2\d{18}$/)
  t.match(randomNonce(), /^\d{9,10}$/)
})

test('signatures as WeChat computes them, for a fixed timestamp and nonce', async (t) => {
  const plain = sealPush({ xml: message.xml, openid: 'oFan', accountId: 'gh_acc', mode: 'plain', secrets, timestamp: '1714036504', nonce: '1514711492' })
  t.same(Object.fromEntries(new URLSearchParams(plain.query)), {
    signature: wechatSignature(['testtoken123', '1714036504', '1514711492']), timestamp: '1714036504', nonce: '1514711492', openid: 'oFan'
  })
  // The official worked example (docs/protocol.md §1).
  t.equal(wechatSignature(['AAAAA', '1714036504', '1514711492']), 'f464b24fc39322e44b38aa78f5edd27bd1441696')

  const safe = sealPush({ xml: message.xml, openid: 'oFan', accountId: 'gh_acc', mode: 'safe', secrets, timestamp: '1714036504', nonce: '1514711492' })
  const encrypt = /<Encrypt><!\[CDATA\[(.+)\]\]><\/Encrypt>/.exec(safe.body)?.[1] as string
  t.equal(safe.body, `<xml><ToUserName><![CDATA[gh_acc]]></ToUserName><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`)
  const query = new URLSearchParams(safe.query)
  t.equal(query.get('msg_signature'), messageSignature('testtoken123', '1714036504', '1514711492', encrypt))
  t.same(decryptMessage({ keys: [key], appId: 'wxtestappid000001', encrypt }), { ok: true, xml: message.xml, keyIndex: 0 })

  const compatible = sealPush({ xml: message.xml, openid: 'oFan', accountId: 'gh_acc', mode: 'compatible', secrets })
  t.match(compatible.body, /^<xml><ToUserName>.*<MsgId>6054768590064713728<\/MsgId><Encrypt><!\[CDATA\[.+\]\]><\/Encrypt><\/xml>$/)
  t.match(compatible.timestamp, /^\d{10}$/)
})

test('outside plain mode a key is required', async (t) => {
  t.throws(() => sealPush({ xml: message.xml, openid: 'oFan', accountId: 'gh_acc', mode: 'safe', secrets: { token: 't', appId: 'a' } }), /safe mode needs an EncodingAESKey/)
})
