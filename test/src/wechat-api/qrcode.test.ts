import { test } from 'tap'
import { sceneOf } from '../../../src/wechat-api/qrcode.js'
import { apiFor, startPlatform } from '../../fixtures/platform-fixture.js'
import { rejectionOf } from '../../fixtures/rejection-of.js'

const CREATE = '/cgi-bin/qrcode/create'
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

test('temporary codes: integer and string scenes in WeChat\'s body, the scene kept per ticket', async (t) => {
  let now = 1_700_000_000_000
  const platform = await startPlatform(t, { now: () => now })
  const { qrCodes } = apiFor(platform).api.management
  const byId = await qrCodes.createTemporary(123, 604800)
  t.equal(platform.state.requests.last(CREATE)?.body, '{"expire_seconds":604800,"action_name":"QR_SCENE","action_info":{"scene":{"scene_id":123}}}')
  t.match(byId, { ticket: String, url: /^http:\/\/weixin\.qq\.com\/q\//, expireSeconds: 604800 })
  const byString = await qrCodes.createTemporary('活动-2024', 2_592_000)
  t.equal(platform.state.requests.last(CREATE)?.body, '{"expire_seconds":2592000,"action_name":"QR_STR_SCENE","action_info":{"scene":{"scene_str":"活动-2024"}}}')
  t.equal(platform.state.qrcodes.codes.get(byId.ticket)?.scene, 123)
  t.equal(platform.state.qrcodes.codes.get(byString.ticket)?.scene, '活动-2024')
  now += 604800_000
  t.equal(platform.state.qrcodes.live(byId.ticket), undefined, 'expired after its lifetime')
  t.ok(platform.state.qrcodes.live(byString.ticket))
})

test('permanent codes: QR_LIMIT_SCENE and QR_LIMIT_STR_SCENE, without expire_seconds', async (t) => {
  const platform = await startPlatform(t)
  const { qrCodes } = apiFor(platform).api.management
  const code = await qrCodes.createPermanent(100000)
  t.equal(platform.state.requests.last(CREATE)?.body, '{"action_name":"QR_LIMIT_SCENE","action_info":{"scene":{"scene_id":100000}}}')
  t.notOk('expireSeconds' in code)
  await qrCodes.createPermanent('x'.repeat(64))
  t.equal(platform.state.requests.last(CREATE)?.body, `{"action_name":"QR_LIMIT_STR_SCENE","action_info":{"scene":{"scene_str":"${'x'.repeat(64)}"}}}`)
  t.equal(platform.state.qrcodes.codes.get(code.ticket)?.expiresAt, undefined)
})

test('scenes and lifetimes past WeChat\'s limits are refused before sending', async (t) => {
  const platform = await startPlatform(t)
  const { qrCodes } = apiFor(platform).api.management
  const refused = [
    qrCodes.createTemporary(0, 60),
    qrCodes.createTemporary(2 ** 32, 60),
    qrCodes.createTemporary(1.5, 60),
    qrCodes.createTemporary('', 60),
    qrCodes.createTemporary('x'.repeat(65), 60),
    qrCodes.createTemporary(1, 2_592_001),
    qrCodes.createTemporary(1, 0),
    qrCodes.createPermanent(100001)
  ]
  for (const attempt of refused) t.match(await rejectionOf(attempt), { kind: 'invalid-request', api: 'qrcode/create' })
  t.ok(await qrCodes.createTemporary(2 ** 32 - 1, 1), 'the largest 32-bit scene id and a one-second lifetime pass')
  t.equal(platform.state.callCount(CREATE), 1)
})

test('the image: showqrcode with the ticket URL-encoded, a real PNG; an expired ticket is a 404', async (t) => {
  let now = 1_700_000_000_000
  const platform = await startPlatform(t, { now: () => now })
  const { qrCodes } = apiFor(platform).api.management
  let code = await qrCodes.createTemporary(7, 60)
  // Tickets are base64 with + / =: only a URL-encoded ticket survives the query string.
  while (!/[+/]/.test(code.ticket)) code = await qrCodes.createTemporary(7, 60)
  t.equal(qrCodes.imageUrl(code.ticket), `${platform.url}/cgi-bin/showqrcode?ticket=${encodeURIComponent(code.ticket)}`)
  t.match(qrCodes.imageUrl(code.ticket), /%2[BF]/)
  const image = await qrCodes.downloadImage(code.ticket)
  t.equal(image.contentType, 'image/png')
  t.same(image.bytes.subarray(0, 8), PNG_SIGNATURE)
  t.equal(platform.state.requests.last('/cgi-bin/showqrcode')?.rawQuery, `ticket=${encodeURIComponent(code.ticket)}`)
  now += 61_000
  t.match(await rejectionOf(qrCodes.downloadImage(code.ticket)), { kind: 'http', status: 404, api: 'showqrcode' })
  platform.state.failNext('/cgi-bin/showqrcode', { body: '{"errcode":0}', contentType: 'application/json' })
  t.match(await rejectionOf(qrCodes.downloadImage(code.ticket)), { kind: 'bad-response', message: /JSON instead of an image/ })
})

test('the default base: mp.weixin.qq.com beside WeChat\'s API, the platform itself otherwise', async (t) => {
  const platform = await startPlatform(t)
  const real = apiFor(platform, { qrImageBase: undefined, apiBase: 'https://api.weixin.qq.com/' }).api
  t.equal(real.management.qrCodes.imageUrl('a+b/c='), 'https://mp.weixin.qq.com/cgi-bin/showqrcode?ticket=a%2Bb%2Fc%3D')
  const { api } = apiFor(platform, { qrImageBase: undefined })
  t.equal(api.management.qrCodes.imageUrl('a+b/c='), `${platform.url}/cgi-bin/showqrcode?ticket=a%2Bb%2Fc%3D`)
  const code = await api.management.qrCodes.createTemporary('poster', 60)
  t.same((await api.management.qrCodes.downloadImage(code.ticket)).bytes.subarray(0, 8), PNG_SIGNATURE, 'the sandbox serves the image itself')
})

test('a scene as written: digits are a scene_id, anything else (a leading zero too) a scene_str', async (t) => {
  t.equal(sceneOf('123'), 123)
  t.equal(sceneOf('4294967296'), 4294967296, 'out of range is the API\'s to refuse')
  t.equal(sceneOf('spring-2024'), 'spring-2024')
  t.equal(sceneOf('007'), '007')
  t.equal(sceneOf('0'), '0')
  t.equal(sceneOf('12a'), '12a')
})
