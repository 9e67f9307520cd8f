import { test } from 'tap'
import { apiFor, startPlatform } from '../../fixtures/platform-fixture.js'
import { rejectionOf } from '../../fixtures/rejection-of.js'

const SENDALL = '/cgi-bin/message/mass/sendall'
const XIAOMING = 'oSandboxFan00000000000000001'

test('mpnews to all: WeChat\'s body; the job id and the article id; status; delete', async (t) => {
  const platform = await startPlatform(t)
  const { massSend } = apiFor(platform).api.management
  const news = platform.state.media.addNews([{ title: '周报' }])
  const job = await massSend.send({ toAll: true }, { type: 'mpnews', mediaId: news.mediaId })
  t.equal(platform.state.requests.last(SENDALL)?.body, `{"filter":{"is_to_all":true},"msgtype":"mpnews","mpnews":{"media_id":"${news.mediaId}"},"send_ignore_reprint":0}`)
  t.match(job, { msgId: /^\d+$/, msgDataId: /^\d+$/ })
  t.same(platform.state.massSends.jobs[0]?.recipients, [...platform.state.fans.keys()])
  t.equal(await massSend.status(job.msgId), 'SEND_SUCCESS')
  t.equal(platform.state.requests.last('/cgi-bin/message/mass/get')?.body, `{"msg_id":${job.msgId}}`)
  await massSend.delete(job.msgId, 1)
  t.equal(platform.state.requests.last('/cgi-bin/message/mass/delete')?.body, `{"msg_id":${job.msgId},"article_idx":1}`)
  t.equal(await massSend.status(job.msgId), 'DELETE')
  await massSend.delete(job.msgId)
  t.equal(platform.state.requests.last('/cgi-bin/message/mass/delete')?.body, `{"msg_id":${job.msgId}}`)
})

test('text to a tag, with a clientmsgid: a second job with it is refused (45065), not sent twice', async (t) => {
  const platform = await startPlatform(t)
  const { massSend, tags } = apiFor(platform).api.management
  const tag = await tags.create('订阅天气')
  await tags.tagFans(tag.id, [XIAOMING])
  const job = await massSend.send({ tagId: tag.id }, { type: 'text', content: '明天降温' }, { clientMsgId: 'weather-0501', ignoreReprint: true })
  t.equal(platform.state.requests.last(SENDALL)?.body,
    `{"filter":{"is_to_all":false,"tag_id":${tag.id}},"msgtype":"text","text":{"content":"明天降温"},"send_ignore_reprint":1,"clientmsgid":"weather-0501"}`)
  t.notOk('msgDataId' in job)
  t.same(platform.state.massSends.jobs[0]?.recipients, [XIAOMING])
  t.match(await rejectionOf(massSend.send({ tagId: tag.id }, { type: 'text', content: '明天降温' }, { clientMsgId: 'weather-0501' })), { errcode: 45065, api: 'message/mass/sendall' })
  t.equal(platform.state.massSends.jobs.length, 1)
})

test('image, voice, video and card bodies; the monthly quota runs out (45028)', async (t) => {
  const platform = await startPlatform(t)
  const { massSend } = apiFor(platform).api.management
  const add = (type: 'image' | 'voice' | 'video'): string => platform.state.media.add('permanent', { type, bytes: Buffer.from('x'), filename: 'x', contentType: '' }).mediaId
  const image = add('image')
  const voice = add('voice')
  const video = add('video')
  await massSend.send({ toAll: true }, { type: 'image', mediaIds: [image], recommend: '推荐语' })
  t.match(platform.state.requests.last(SENDALL)?.body, new RegExp(`"msgtype":"image","images":\\{"media_ids":\\["${image}"\\],"recommend":"推荐语"\\}`))
  await massSend.send({ toAll: true }, { type: 'voice', mediaId: voice })
  t.match(platform.state.requests.last(SENDALL)?.body, new RegExp(`"msgtype":"voice","voice":\\{"media_id":"${voice}"\\}`))
  await massSend.send({ toAll: true }, { type: 'mpvideo', mediaId: video })
  t.match(platform.state.requests.last(SENDALL)?.body, new RegExp(`"msgtype":"mpvideo","mpvideo":\\{"media_id":"${video}"\\}`))
  await massSend.send({ toAll: true }, { type: 'wxcard', cardId: 'pCard' })
  t.match(platform.state.requests.last(SENDALL)?.body, /"msgtype":"wxcard","wxcard":\{"card_id":"pCard"\}/)
  t.match(await rejectionOf(massSend.send({ toAll: true }, { type: 'image', mediaIds: [image] })), { errcode: 45028 })
})

test('preview to an openid or a WeChat ID', async (t) => {
  const platform = await startPlatform(t)
  const { massSend } = apiFor(platform).api.management
  await massSend.preview({ openid: XIAOMING }, { type: 'text', content: '预览' })
  t.equal(platform.state.requests.last('/cgi-bin/message/mass/preview')?.body, `{"touser":"${XIAOMING}","msgtype":"text","text":{"content":"预览"}}`)
  t.equal(platform.state.massSends.previews.length, 1)
  t.match(await rejectionOf(massSend.preview({ wxname: 'xiaoming_wx' }, { type: 'text', content: '预览' })), { errcode: 40003 })
  t.equal(platform.state.requests.last('/cgi-bin/message/mass/preview')?.body, '{"towxname":"xiaoming_wx","msgtype":"text","text":{"content":"预览"}}')
})

test('a msg_id past 2^53 is sent back as its exact decimal string', async (t) => {
  const platform = await startPlatform(t)
  const { massSend } = apiFor(platform).api.management
  platform.state.failNext(SENDALL, { body: '{"errcode":0,"errmsg":"send job submission success","msg_id":3147483648000000001}' })
  const job = await massSend.send({ toAll: true }, { type: 'text', content: 'x' })
  t.equal(job.msgId, '3147483648000000001')
  t.match(await rejectionOf(massSend.status(job.msgId)), { errcode: 40059 })
  t.equal(platform.state.requests.last('/cgi-bin/message/mass/get')?.body, '{"msg_id":"3147483648000000001"}')
})
