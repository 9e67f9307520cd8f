import { test } from 'tap'
import { apiFor, startPlatform } from '../../fixtures/platform-fixture.js'
import { SAMPLE_BYTES } from '../../fixtures/media-bytes.js'
import { rejectionOf } from '../../fixtures/rejection-of.js'

const ADD = '/cgi-bin/material/add_material'

test('permanent images: added with their URL, fetched as files, counted, listed, deleted', async (t) => {
  const platform = await startPlatform(t)
  const { material } = apiFor(platform).api.management
  const added = await material.add('image', { data: SAMPLE_BYTES.bmp, filename: 'logo.bmp' })
  t.match(added, { mediaId: String, url: /^http:\/\/mmbiz\.qpic\.cn\// })
  const fetched = await material.get(added.mediaId)
  t.same(fetched.kind === 'file' && fetched.file.bytes, SAMPLE_BYTES.bmp)
  t.equal(platform.state.requests.last('/cgi-bin/material/get_material')?.body, `{"media_id":"${added.mediaId}"}`)
  await material.add('voice', { data: SAMPLE_BYTES.wma, filename: 'a.wma' })
  t.same(await material.count(), { voice: 1, video: 0, image: 1, news: 0 })
  t.match(await material.list('image', 0, 20), { total: 1, items: [{ mediaId: added.mediaId, name: 'logo.bmp', updateTime: Number, url: added.url }] })
  t.equal(platform.state.requests.last('/cgi-bin/material/batchget_material')?.body, '{"type":"image","offset":0,"count":20}')
  await material.delete(added.mediaId)
  t.equal(platform.state.requests.last('/cgi-bin/material/del_material')?.body, `{"media_id":"${added.mediaId}"}`)
  t.match(await rejectionOf(material.get(added.mediaId)), { errcode: 40007, api: 'material/get_material' })
})

test('a permanent video carries its description part; fetched, it is its title and address', async (t) => {
  const platform = await startPlatform(t)
  const { material } = apiFor(platform).api.management
  t.match(await rejectionOf(material.add('video', { data: SAMPLE_BYTES.mp4, filename: 'a.mp4' })), { kind: 'invalid-request', message: /needs a title/ })
  t.match(await rejectionOf(material.add('video', { data: SAMPLE_BYTES.mp4, filename: 'a.mp4' }, { title: '', introduction: 'x' })), { kind: 'invalid-request' })
  const added = await material.add('video', { data: SAMPLE_BYTES.mp4, filename: 'a.mp4' }, { title: '开箱', introduction: '新品开箱' })
  t.notOk('url' in added)
  t.match(platform.state.media.permanent.get(added.mediaId), { title: '开箱', introduction: '新品开箱' })
  t.match(await material.get(added.mediaId), { kind: 'video', title: '开箱', description: '新品开箱', downloadUrl: /\.mp4$/ })
  t.equal(platform.state.callCount(ADD), 1)
})

test('news material: its articles, in get and in a list page', async (t) => {
  const platform = await startPlatform(t)
  const { material } = apiFor(platform).api.management
  const news = platform.state.media.addNews([{ title: '第一篇', author: '小明' }, { title: '第二篇' }])
  t.match(await material.get(news.mediaId), { kind: 'news', articles: [{ title: '第一篇', author: '小明' }, { title: '第二篇' }] })
  t.match(await material.list('news', 0, 1), { total: 1, items: [{ mediaId: news.mediaId, articles: [{ title: '第一篇' }] }] })
})

test('list paging arguments and upload limits are checked before sending', async (t) => {
  const platform = await startPlatform(t)
  const { material } = apiFor(platform).api.management
  for (const [offset, count] of [[-1, 1], [0.5, 1], [0, 0], [0, 21]]) {
    t.match(await rejectionOf(material.list('image', offset as number, count as number)), { kind: 'invalid-request', api: 'material/batchget_material' })
  }
  t.match(await rejectionOf(material.add('voice', { data: SAMPLE_BYTES.mp4, filename: 'a.mp4' })), { kind: 'invalid-request', api: 'material/add_material' })
  t.equal(platform.state.callCount('/cgi-bin/material/batchget_material'), 0)
})
