import { test } from 'tap'
import { apiFor, startPlatform } from '../../fixtures/platform-fixture.js'
import { jpegOf, SAMPLE_BYTES } from '../../fixtures/media-bytes.js'
import { rejectionOf } from '../../fixtures/rejection-of.js'

const UPLOAD = '/cgi-bin/media/upload'

test('upload: a multipart body with the file as part "media", typed in the query; download gives it back', async (t) => {
  const platform = await startPlatform(t)
  const { media } = apiFor(platform).api.management
  const uploaded = await media.upload('image', { data: SAMPLE_BYTES.png, filename: '图.png' })
  t.match(uploaded, { type: 'image', mediaId: /^[\w-]{64}$/, createdAt: Number })
  const stored = platform.state.media.temporary.get(uploaded.mediaId)
  t.match(stored, { type: 'image', filename: '图.png', contentType: 'image/png' })
  t.same(stored?.bytes, SAMPLE_BYTES.png)
  t.same(platform.state.requests.last(UPLOAD)?.query, { type: 'image' })
  const downloaded = await media.download(uploaded.mediaId)
  t.equal(downloaded.kind, 'file')
  t.same(downloaded.kind === 'file' && downloaded.file.bytes, SAMPLE_BYTES.png)
  t.match(downloaded.kind === 'file' && downloaded.file, { contentType: 'image/png', filename: `${uploaded.mediaId}.png` })
})

test('voice, video and thumb; a thumb\'s id comes back as thumb_media_id; a video downloads as its URL', async (t) => {
  const platform = await startPlatform(t)
  const { media } = apiFor(platform).api.management
  t.equal((await media.upload('voice', { data: SAMPLE_BYTES.amr, filename: 'a.amr' })).type, 'voice')
  const thumb = await media.upload('thumb', { data: SAMPLE_BYTES.jpg, filename: 'cover.jpg', contentType: 'image/jpeg' })
  t.ok(platform.state.media.temporary.has(thumb.mediaId))
  const video = await media.upload('video', { data: SAMPLE_BYTES.mp4, filename: 'clip.mp4' })
  t.match(await media.download(video.mediaId), { kind: 'video', url: /\.mp4$/ })
})

test('format and size limits are checked before anything is sent', async (t) => {
  const platform = await startPlatform(t)
  const { media } = apiFor(platform).api.management
  const refusals = [
    [media.upload('image', { data: SAMPLE_BYTES.bmp, filename: 'a.bmp' }), /a image is one of png, jpeg, jpg, gif; "a\.bmp" is not/],
    [media.upload('thumb', { data: SAMPLE_BYTES.png, filename: 'a.png' }), /one of jpg/],
    [media.upload('voice', { data: SAMPLE_BYTES.mp3, filename: 'noextension' }), /is not/],
    [media.upload('image', { data: new Uint8Array(0), filename: 'a.jpg' }), /the file is empty/],
    [media.upload('thumb', { data: jpegOf(64 * 1024 + 1), filename: 'a.jpg' }), /a thumb is at most 65536 bytes; this one has 65537/],
    [media.upload('voice', { data: Buffer.alloc(2 * 1024 * 1024 + 1), filename: 'a.mp3' }), /at most 2097152 bytes/]
  ] as const
  for (const [attempt, message] of refusals) t.match(await rejectionOf(attempt), { kind: 'invalid-request', api: 'media/upload', message })
  t.equal(platform.state.callCount(UPLOAD), 0)
  t.ok(await media.upload('thumb', { data: jpegOf(64 * 1024), filename: 'a.JPG' }), '64 KB exactly, any case of extension')
})

test('a 10 MB image, the largest allowed, goes through', async (t) => {
  const platform = await startPlatform(t)
  const { media } = apiFor(platform).api.management
  const uploaded = await media.upload('image', { data: jpegOf(10 * 1024 * 1024), filename: 'big.jpg' })
  t.equal(platform.state.media.temporary.get(uploaded.mediaId)?.bytes.length, 10 * 1024 * 1024)
})

test('WeChat\'s refusals and expiry come back typed: 40005 content not matching, 40007 after three days', async (t) => {
  let now = 1_700_000_000_000
  const platform = await startPlatform(t, { now: () => now })
  const { media } = apiFor(platform).api.management
  t.match(await rejectionOf(media.upload('image', { data: SAMPLE_BYTES.gif, filename: 'fake.png' })), { kind: 'api', errcode: 40005 })
  const uploaded = await media.upload('image', { data: SAMPLE_BYTES.jpg, filename: 'a.jpg' })
  now += 3 * 24 * 3600_000
  t.match(await rejectionOf(media.download(uploaded.mediaId)), { kind: 'api', errcode: 40007, api: 'media/get' })
})

test('an upload answer without a media id is a bad response', async (t) => {
  const platform = await startPlatform(t)
  const { media } = apiFor(platform).api.management
  platform.state.failNext(UPLOAD, { body: '{"type":"image","created_at":1}' })
  t.match(await rejectionOf(media.upload('image', { data: SAMPLE_BYTES.jpg, filename: 'a.jpg' })), { kind: 'bad-response' })
  platform.state.failNext('/cgi-bin/media/get', { body: '{"errcode":0}' })
  t.match(await rejectionOf(media.download('x')), { kind: 'bad-response', message: /video_url/ })
})

test('a download whose token was rejected is retried once with a fresh token', async (t) => {
  const platform = await startPlatform(t)
  const { media } = apiFor(platform).api.management
  const uploaded = await media.upload('image', { data: SAMPLE_BYTES.jpg, filename: 'a.jpg' })
  platform.state.failNext('/cgi-bin/media/get', { errcode: 40001, errmsg: 'invalid credential' })
  t.equal((await media.download(uploaded.mediaId)).kind, 'file')
  t.equal(platform.state.callCount('/cgi-bin/media/get'), 2)
})

test('an upload whose token was rejected sends the whole file again with the fresh token', async (t) => {
  const platform = await startPlatform(t)
  const { media } = apiFor(platform).api.management
  platform.state.failNext(UPLOAD, { errcode: 40001, errmsg: 'invalid credential' })
  const uploaded = await media.upload('image', { data: SAMPLE_BYTES.png, filename: 'a.png' })
  t.equal(platform.state.callCount(UPLOAD), 2)
  t.same(platform.state.media.temporary.get(uploaded.mediaId)?.bytes, SAMPLE_BYTES.png)
})
