import { test } from 'tap'
import { startPlatform } from '../../fixtures/platform-fixture.js'
import { callApi, errcodeOf } from '../../fixtures/platform-calls.js'

const SENDALL = '/cgi-bin/message/mass/sendall'
const FAN = 'oSandboxFan00000000000000001'

test('sendall refusals: unknown tag, each kind\'s material, unknown kind; blacklisted fans get nothing', async (t) => {
  const platform = await startPlatform(t)
  const image = platform.state.media.add('temporary', { type: 'image', bytes: Buffer.from('x'), filename: 'x.jpg', contentType: '' }).mediaId
  const permanentImage = platform.state.media.add('permanent', { type: 'image', bytes: Buffer.from('x'), filename: 'x.jpg', contentType: '' }).mediaId
  const toAll = { is_to_all: true }
  const cases: Array<[unknown, number]> = [
    [{ filter: { is_to_all: false, tag_id: 999 }, msgtype: 'text', text: { content: 'x' } }, 45159],
    [{ msgtype: 'text', text: { content: 'x' } }, 45159],
    [{ filter: toAll, msgtype: 'text', text: { content: '' } }, 44004],
    [{ filter: toAll, msgtype: 'text' }, 44004],
    [{ filter: toAll, msgtype: 'mpnews', mpnews: { media_id: 'nope' } }, 40007],
    [{ filter: toAll, msgtype: 'voice', voice: { media_id: image } }, 40007],
    [{ filter: toAll, msgtype: 'mpvideo', mpvideo: {} }, 40007],
    [{ filter: toAll, msgtype: 'image', images: { media_ids: [image] } }, 40007],
    [{ filter: toAll, msgtype: 'image', images: {} }, 40007],
    [{ filter: toAll, msgtype: 'image', image: { media_ids: [permanentImage] } }, 40007],
    [{ filter: toAll, msgtype: 'image', images: { media_ids: [permanentImage] } }, 0],
    [{ filter: toAll, msgtype: 'wxcard', wxcard: {} }, 47003],
    [{ filter: toAll, msgtype: 'link' }, 40008]
  ]
  for (const [body, errcode] of cases) t.equal(await errcodeOf(platform, SENDALL, body), errcode, JSON.stringify(body).slice(0, 80))
  platform.state.followers.of(FAN).blacklisted = true
  t.equal(await errcodeOf(platform, SENDALL, { filter: toAll, msgtype: 'text', text: { content: 'x' } }), 0)
  t.notOk(platform.state.massSends.jobs[1]?.recipients.includes(FAN))
  t.equal(platform.state.massSends.quotaLeft, 2)
})

test('preview, delete and get refusals', async (t) => {
  const platform = await startPlatform(t)
  t.equal(await errcodeOf(platform, '/cgi-bin/message/mass/preview', { touser: FAN, msgtype: 'text' }), 44004)
  t.equal(await errcodeOf(platform, '/cgi-bin/message/mass/delete', { msg_id: 1 }), 40059)
  t.equal(await errcodeOf(platform, '/cgi-bin/message/mass/get', { msg_id: 1 }), 40059)
  const job = await callApi(platform, SENDALL, { filter: { is_to_all: true }, msgtype: 'text', text: { content: 'x' } })
  t.equal(await errcodeOf(platform, '/cgi-bin/message/mass/delete', { msg_id: job.json.msg_id, article_idx: -1 }), 40060)
  t.equal(await errcodeOf(platform, '/cgi-bin/message/mass/delete', { msg_id: job.json.msg_id, article_idx: 'one' }), 40060)
  t.equal(await errcodeOf(platform, '/cgi-bin/message/mass/delete', { msg_id: job.json.msg_id, article_idx: 0 }), 0)
})

test('shorten/gen and fetch refusals: 47003, 9410010, 9410011, 9410012', async (t) => {
  const platform = await startPlatform(t)
  const GEN = '/cgi-bin/shorten/gen'
  t.equal(await errcodeOf(platform, GEN, {}), 47003)
  t.equal(await errcodeOf(platform, GEN, { long_data: '长'.repeat(1366) }), 9410010, '4098 bytes')
  t.equal(await errcodeOf(platform, GEN, { long_data: 'x', expire_seconds: 2_592_001 }), 9410011)
  t.equal(await errcodeOf(platform, GEN, { long_data: 'x', expire_seconds: -5 }), 9410011)
  t.equal(await errcodeOf(platform, GEN, { long_data: 'x', expire_seconds: 'soon' }), 9410011)
  const made = await callApi(platform, GEN, { long_data: 'x' })
  t.equal(platform.state.shortKeys.keys.get(made.json.short_key)?.expireSeconds, 2_592_000)
  t.equal(await errcodeOf(platform, '/cgi-bin/shorten/fetch', { short_key: 'nope' }), 9410012)
})
