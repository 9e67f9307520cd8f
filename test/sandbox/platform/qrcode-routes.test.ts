import { test } from 'tap'
import { inflateSync } from 'node:zlib'
import { qrCodePng } from '../../../sandbox/platform/qr-image.js'
import { APP_ID, apiFor, startPlatform } from '../../fixtures/platform-fixture.js'
import { callApi, errcodeOf } from '../../fixtures/platform-calls.js'
import { request } from '../../fixtures/http-json.js'

const CREATE = '/cgi-bin/qrcode/create'

test('qrcode/create refusals: 40052 for the action, 40053 for the scene; WeChat\'s lifetime rules', async (t) => {
  const platform = await startPlatform(t)
  const cases: Array<[unknown, number]> = [
    [{ action_name: 'QR_SOMETHING', action_info: { scene: { scene_id: 1 } } }, 40052],
    [{ action_name: 'toString', action_info: { scene: { scene_id: 1 } } }, 40052],
    [{ action_name: 'QR_SCENE' }, 40053],
    [{ action_name: 'QR_SCENE', action_info: { scene: null } }, 40053],
    [{ action_name: 'QR_SCENE', action_info: { scene: { scene_id: 0 } } }, 40053],
    [{ action_name: 'QR_SCENE', action_info: { scene: { scene_id: 4294967296 } } }, 40053],
    [{ action_name: 'QR_STR_SCENE', action_info: { scene: { scene_str: '' } } }, 40053],
    [{ action_name: 'QR_LIMIT_SCENE', action_info: { scene: { scene_id: 100001 } } }, 40053],
    [{ action_name: 'QR_LIMIT_STR_SCENE', action_info: { scene: { scene_str: 'x'.repeat(65) } } }, 40053],
    [{ action_name: 'QR_LIMIT_STR_SCENE', action_info: { scene: { scene_str: 'x'.repeat(64) } } }, 0]
  ]
  for (const [body, errcode] of cases) t.equal(await errcodeOf(platform, CREATE, body), errcode, JSON.stringify(body).slice(0, 80))
  const noExpiry = await callApi(platform, CREATE, { action_name: 'QR_SCENE', action_info: { scene: { scene_id: 1 } } })
  t.equal(noExpiry.json.expire_seconds, 60, 'no expire_seconds: 60 seconds')
  const tooLong = await callApi(platform, CREATE, { expire_seconds: 9_999_999, action_name: 'QR_SCENE', action_info: { scene: { scene_id: 1 } } })
  t.equal(tooLong.json.expire_seconds, 2_592_000, 'capped at 30 days')
  t.notOk('expire_seconds' in (await callApi(platform, CREATE, { action_name: 'QR_LIMIT_SCENE', action_info: { scene: { scene_id: 1 } } })).json)
})

test('100,000 permanent codes at most (45029)', async (t) => {
  const platform = await startPlatform(t)
  for (let i = 0; i < 100_000; i++) platform.state.qrcodes.issue('QR_LIMIT_SCENE', 1, undefined)
  t.equal(await errcodeOf(platform, CREATE, { action_name: 'QR_LIMIT_SCENE', action_info: { scene: { scene_id: 1 } } }), 45029)
  t.equal(await errcodeOf(platform, CREATE, { expire_seconds: 60, action_name: 'QR_SCENE', action_info: { scene: { scene_id: 1 } } }), 0, 'temporary codes are not counted')
})

test('showqrcode needs no token; unknown tickets are 404', async (t) => {
  const platform = await startPlatform(t)
  const code = platform.state.qrcodes.issue('QR_SCENE', 5, 60)
  const image = await fetch(`${platform.url}/cgi-bin/showqrcode?ticket=${encodeURIComponent(code.ticket)}`)
  t.equal(image.status, 200)
  t.equal(image.headers.get('content-type'), 'image/png')
  t.match(await request(`${platform.url}/cgi-bin/showqrcode?ticket=nope`), { status: 404 })
  t.match(await request(`${platform.url}/cgi-bin/showqrcode`), { status: 404 })
})

test('the QR image is a valid greyscale PNG, one per ticket, with finder squares in its corners', async (t) => {
  const png = qrCodePng('ticket-a')
  t.same(png.subarray(12, 16).toString('latin1'), 'IHDR')
  const size = png.readUInt32BE(16)
  t.equal(size, (21 + 8) * 8)
  t.equal(png.readUInt32BE(20), size)
  t.same([...png.subarray(24, 29)], [8, 0, 0, 0, 0], '8-bit greyscale, no interlace')
  const idatLength = png.readUInt32BE(33)
  t.equal(png.subarray(37, 41).toString('latin1'), 'IDAT')
  const pixels = inflateSync(png.subarray(41, 41 + idatLength))
  t.equal(pixels.length, size * (size + 1))
  const pixel = (x: number, y: number): number => pixels[y * (size + 1) + 1 + x] as number
  t.equal(pixel(0, 0), 0xff, 'a white quiet zone')
  t.equal(pixel(32, 32), 0, 'the top-left finder\'s outer ring is dark')
  t.equal(pixel(32 + 8, 32 + 8), 0xff, 'its inner ring is light')
  t.equal(pixel(32 + 24, 32 + 24), 0, 'its centre is dark')
  t.equal(png.subarray(-8, -4).toString('latin1'), 'IEND')
  t.equal(png.readUInt32BE(png.length - 4), 0xae426082, 'the CRC-32 every IEND chunk has')
  t.notSame(qrCodePng('ticket-b'), png, 'another ticket, another picture')
  t.same(qrCodePng('ticket-a'), png, 'the same ticket, the same picture')
})

test('a code remembers the account that made it', async (t) => {
  const other = { appId: 'wxshop000000000001', appSecret: 'shop-secret-0123456789abcdef' }
  const platform = await startPlatform(t, { apps: [other] })
  const mine = await apiFor(platform).api.management.qrCodes.createTemporary('news', 60)
  const theirs = await apiFor(platform, other).api.management.qrCodes.createPermanent('shop')
  t.equal(platform.state.qrcodes.codes.get(mine.ticket)?.appId, APP_ID)
  t.equal(platform.state.qrcodes.codes.get(theirs.ticket)?.appId, other.appId)
  t.notOk('appId' in platform.state.qrcodes.issue('QR_SCENE', 1, 60), 'made directly, without a token: no account named')
})
