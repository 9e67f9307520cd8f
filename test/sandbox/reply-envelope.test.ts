import { test } from 'tap'
import { parseEncodingAesKey } from '../../src/protocol/aes-key.js'
import { buildEncryptedReply, messageSignature } from '../../src/protocol/message-crypto.js'
import { openReply } from '../../sandbox/reply-envelope.js'

const secrets = { token: 'testtoken123', appId: 'wxtestappid000001', aesKey: parseEncodingAesKey('abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG') }
const inner = '<xml><ToUserName><![CDATA[oFan]]></ToUserName><MsgType><![CDATA[text]]></MsgType></xml>'
const sealed = (overrides: { appId?: string, token?: string } = {}) => buildEncryptedReply({
  key: secrets.aesKey, appId: overrides.appId ?? secrets.appId, token: overrides.token ?? secrets.token, replyXml: inner, timestamp: '1714112445', nonce: '415670741'
})

test('success and an empty body are silence, in every mode', async (t) => {
  for (const mode of ['plain', 'compatible', 'safe'] as const) {
    for (const body of ['', 'success', ' success\n']) t.same(openReply(body, mode, secrets), { status: 'silent' }, `${mode} ${JSON.stringify(body)}`)
  }
})

test('an encrypted reply is verified (MsgSignature) and decrypted', async (t) => {
  for (const mode of ['compatible', 'safe'] as const) {
    const opened = openReply(sealed(), mode, secrets)
    t.match(opened, { status: 'open', encrypted: true, xml: inner, signature: { ok: true } })
  }
})

test('plaintext replies: fine in plain and compatible mode, refused in safe mode', async (t) => {
  t.same(openReply(inner, 'plain', secrets), { status: 'open', xml: inner, encrypted: false })
  t.same(openReply(inner, 'compatible', secrets), { status: 'open', xml: inner, encrypted: false })
  t.match(openReply(inner, 'safe', secrets), { status: 'refused', reason: /安全模式下回复必须加密/ })
  t.same(openReply('{"a":1}', 'safe', secrets), { status: 'open', xml: '{"a":1}', encrypted: false }, 'not XML at all: left to the reply check to explain')
})

test('encrypted replies WeChat refuses', async (t) => {
  t.match(openReply(sealed(), 'plain', secrets), { status: 'refused', reason: /明文模式的推送收到了加密回复/ })
  t.match(openReply('<xml><Encrypt>abc</Encrypt><TimeStamp>1</TimeStamp></xml>', 'safe', secrets), { status: 'refused', reason: '加密回复缺少字段：MsgSignature、Nonce' })
  const forged = openReply(sealed({ token: 'othertoken' }), 'safe', secrets)
  t.match(forged, { status: 'refused', reason: /MsgSignature 校验失败/, signature: { ok: false } })
  if (forged.status === 'refused') t.not(forged.signature?.expected, forged.signature?.given)
  t.match(openReply(sealed({ appId: 'wxsomeoneelse0001' }), 'safe', secrets), { status: 'refused', reason: 'Encrypt 无法解密（appid-mismatch）', signature: { ok: true } })
  const garbage = 'AAAA'
  const envelope = `<xml><Encrypt>${garbage}</Encrypt><MsgSignature>${messageSignature(secrets.token, '1', 'n', garbage)}</MsgSignature><TimeStamp>1</TimeStamp><Nonce>n</Nonce></xml>`
  t.match(openReply(envelope, 'compatible', secrets), { status: 'refused', reason: 'Encrypt 无法解密（illegal-buffer）' })
})
