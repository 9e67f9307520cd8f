import { test } from 'tap'
import type { RunningPlatformApi } from '../../../sandbox/platform/platform-api.js'
import { startPlatform } from '../../fixtures/platform-fixture.js'
import { callApi, errcodeOf, tokenOf } from '../../fixtures/platform-calls.js'
import { SAMPLE_BYTES } from '../../fixtures/media-bytes.js'
import { request } from '../../fixtures/http-json.js'

async function upload (platform: RunningPlatformApi, path: string, type: string, parts: Record<string, Blob | string> & { filename?: string }): Promise<Record<string, any>> {
  const form = new FormData()
  for (const [name, value] of Object.entries(parts)) {
    if (name === 'filename') continue
    if (typeof value === 'string') form.append(name, value)
    else form.append(name, value, parts.filename ?? 'a.jpg')
  }
  const url = `${platform.url}${path}?access_token=${await tokenOf(platform)}&type=${type}`
  return (await request(url, { method: 'POST', body: form })).json
}

const file = (bytes: Buffer, type = 'application/octet-stream'): Blob => new Blob([new Uint8Array(bytes)], { type })

test('media/upload: WeChat\'s errcodes for type, missing part, format, empty, size and content', async (t) => {
  const platform = await startPlatform(t)
  const UPLOAD = '/cgi-bin/media/upload'
  t.equal((await upload(platform, UPLOAD, 'document', { media: file(SAMPLE_BYTES.jpg) })).errcode, 40004)
  t.equal((await upload(platform, UPLOAD, 'toString', { media: file(SAMPLE_BYTES.jpg) })).errcode, 40004)
  t.equal((await upload(platform, UPLOAD, 'image', { media: file(SAMPLE_BYTES.jpg), filename: 'no-extension' })).errcode, 40113)
  t.equal((await upload(platform, UPLOAD, 'image', { other: file(SAMPLE_BYTES.jpg) })).errcode, 41005)
  t.equal((await upload(platform, UPLOAD, 'image', { media: 'not a file' })).errcode, 41005)
  t.equal((await upload(platform, UPLOAD, 'image', { media: file(SAMPLE_BYTES.bmp), filename: 'a.bmp' })).errcode, 40113, 'BMP is permanent-only')
  t.equal((await upload(platform, UPLOAD, 'image', { media: file(Buffer.alloc(0)), filename: 'a.png' })).errcode, 44001)
  t.equal((await upload(platform, UPLOAD, 'thumb', { media: file(Buffer.alloc(64 * 1024 + 1, 0xff)), filename: 'a.jpg' })).errcode, 45001)
  t.equal((await upload(platform, UPLOAD, 'image', { media: file(SAMPLE_BYTES.jpg), filename: 'a.png' })).errcode, 40005, 'a JPEG named .png')
  const ok = await upload(platform, UPLOAD, 'thumb', { media: file(SAMPLE_BYTES.jpg, 'image/jpeg'), filename: 'a.jpg' })
  t.match(ok, { type: 'thumb', thumb_media_id: String, created_at: Number })
  t.notOk('media_id' in ok)
  const token = await tokenOf(platform)
  const notMultipart = await request(`${platform.url}${UPLOAD}?access_token=${token}&type=image`, { method: 'POST', body: 'media=x' })
  t.equal(notMultipart.json.errcode, 41005)
  const bare = await request(`${platform.url}${UPLOAD}?access_token=${token}&type=image`, { method: 'POST' })
  t.equal(bare.json.errcode, 41005, 'no body and no Content-Type')
  const broken = await request(`${platform.url}${UPLOAD}?access_token=${token}&type=image`, { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=x' }, body: 'garbage' })
  t.equal(broken.json.errcode, 41005)
})

test('every format\'s content is recognised', async (t) => {
  const platform = await startPlatform(t)
  const cases: Array<[string, Buffer, string]> = [
    ['image', SAMPLE_BYTES.png, 'a.png'], ['image', SAMPLE_BYTES.gif, 'a.gif'], ['image', SAMPLE_BYTES.jpg, 'a.jpeg'],
    ['voice', SAMPLE_BYTES.amr, 'a.amr'], ['voice', SAMPLE_BYTES.mp3, 'a.mp3'], ['voice', SAMPLE_BYTES.mp3Frame, 'b.mp3'],
    ['voice', SAMPLE_BYTES.wav, 'a.wav'], ['voice', SAMPLE_BYTES.wma, 'a.wma'], ['image', SAMPLE_BYTES.bmp, 'a.bmp'], ['video', SAMPLE_BYTES.mp4, 'a.mp4']
  ]
  for (const [type, bytes, filename] of cases) {
    const added = await upload(platform, '/cgi-bin/material/add_material', type, { media: file(bytes), filename, ...(type === 'video' ? { description: '{"title":"t","introduction":""}' } : {}) })
    t.match(added, { media_id: String }, filename)
  }
  const wrong = await upload(platform, '/cgi-bin/material/add_material', 'voice', { media: file(Buffer.from([0xff, 0x10])), filename: 'c.mp3' })
  t.equal(wrong.errcode, 40005, 'not an MP3 frame')
  const oneByte = await upload(platform, '/cgi-bin/material/add_material', 'voice', { media: file(Buffer.from([0xff])), filename: 'd.mp3' })
  t.equal(oneByte.errcode, 40005, 'too short for an MP3 frame')
})

test('add_material: a video without a usable description is 47003', async (t) => {
  const platform = await startPlatform(t)
  const ADD = '/cgi-bin/material/add_material'
  const video = { media: file(SAMPLE_BYTES.mp4), filename: 'a.mp4' }
  t.equal((await upload(platform, ADD, 'video', video)).errcode, 47003)
  t.equal((await upload(platform, ADD, 'video', { ...video, description: 'not json' })).errcode, 47003)
  t.equal((await upload(platform, ADD, 'video', { ...video, description: '5' })).errcode, 47003)
  t.equal((await upload(platform, ADD, 'video', { ...video, description: 'null' })).errcode, 47003)
  t.equal((await upload(platform, ADD, 'video', { ...video, description: '{"title":"t"}' })).errcode, 47003)
  t.equal((await upload(platform, ADD, 'movie', video)).errcode, 40004)
  t.equal((await upload(platform, ADD, 'image', { other: 'x' })).errcode, 41005)
  t.equal((await upload(platform, ADD, 'image', { media: file(SAMPLE_BYTES.mp4), filename: 'a.mp4' })).errcode, 40113)
})

test('material reads: unknown ids, batchget\'s type and range, files served with their name', async (t) => {
  const platform = await startPlatform(t)
  const BATCH = '/cgi-bin/material/batchget_material'
  t.equal(await errcodeOf(platform, '/cgi-bin/material/get_material', { media_id: 'nope' }), 40007)
  t.equal(await errcodeOf(platform, '/cgi-bin/material/del_material', { media_id: 'nope' }), 40007)
  t.equal(await errcodeOf(platform, '/cgi-bin/media/get', undefined, { media_id: 'nope' }), 40007)
  t.equal(await errcodeOf(platform, '/cgi-bin/media/get'), 40007)
  t.equal(await errcodeOf(platform, BATCH, { type: 'thumb', offset: 0, count: 1 }), 40004)
  t.equal(await errcodeOf(platform, BATCH, { type: 'image', offset: -1, count: 1 }), 40114)
  t.equal(await errcodeOf(platform, BATCH, { type: 'image', offset: 0, count: 21 }), 40114)
  t.equal(await errcodeOf(platform, BATCH, { type: 'image', offset: 0, count: 0 }), 40114)
  t.equal(await errcodeOf(platform, BATCH, { type: 'image', offset: '0', count: 1 }), 40114)
  t.equal(await errcodeOf(platform, BATCH, { type: 'image', offset: 0, count: '1' }), 40114)
  const voice = platform.state.media.add('permanent', { type: 'voice', bytes: SAMPLE_BYTES.amr, filename: 'v.amr', contentType: '' })
  const fetched = await callApi(platform, '/cgi-bin/material/get_material', { media_id: voice.mediaId })
  t.match(fetched, { status: 200, type: 'application/octet-stream' })
  const page = await callApi(platform, BATCH, { type: 'voice', offset: 0, count: 5 })
  t.same(page.json, { total_count: 1, item_count: 1, item: [{ media_id: voice.mediaId, name: 'v.amr', update_time: voice.createdAt }] })
  const older = platform.state.media.add('permanent', { type: 'voice', bytes: SAMPLE_BYTES.amr, filename: 'w.amr', contentType: '' })
  t.same((await callApi(platform, BATCH, { type: 'voice', offset: 0, count: 5 })).json.item.map((item: { name: string }) => item.name), ['w.amr', 'v.amr'], 'newest first')
  t.same((await callApi(platform, BATCH, { type: 'voice', offset: 1, count: 5 })).json.item_count, 1)
  t.ok(older)
})
