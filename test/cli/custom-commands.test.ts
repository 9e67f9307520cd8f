import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'tap'
import { EXIT } from '../../cli/program.js'
import { SAMPLE_BYTES } from '../fixtures/media-bytes.js'
import { cliAgainstPlatform, FAN, OUTSIDE_WINDOW_FAN } from './cli-fixture.js'

test('custom send: the words as one text; a long one split at 2048 bytes', async (t) => {
  const { platform, wemp } = await cliAgainstPlatform(t)
  const run = await wemp(['custom', 'send', FAN, '你好', '世界'])
  t.same([run.code, run.out], [EXIT.ok, `sent to ${FAN}: 1 message\n`])
  t.same(platform.state.messages.map((m) => m.content), ['你好 世界'])
  const long = await wemp(['--json', 'custom', 'send', FAN, '长'.repeat(1000)])
  t.same(long.json(), { openid: FAN, type: 'text', messages: 2 })
  t.equal(platform.state.messages.length, 3)
  t.match((await wemp(['custom', 'send', FAN, '字'.repeat(700)])).out, /: 2 messages \(the text was split at WeChat's 2048 bytes\)\n$/)
})

test('custom send --image / --voice: an uploaded medium', async (t) => {
  const { platform, dir, wemp } = await cliAgainstPlatform(t)
  writeFileSync(join(dir, 'a.jpg'), SAMPLE_BYTES.jpg)
  writeFileSync(join(dir, 'a.mp3'), SAMPLE_BYTES.mp3)
  const image = (await wemp(['--json', 'media', 'upload', 'a.jpg', '--type', 'image'])).json<{ mediaId: string }>()
  const voice = (await wemp(['--json', 'media', 'upload', 'a.mp3', '--type', 'voice'])).json<{ mediaId: string }>()
  t.equal((await wemp(['custom', 'send', FAN, '--image', image.mediaId])).out, `sent an image to ${FAN}\n`)
  t.same((await wemp(['--json', 'custom', 'send', FAN, '--voice', voice.mediaId])).json(), { openid: FAN, type: 'voice', messages: 1 })
  t.same(platform.state.messages.map((m) => [m.msgtype, m.body[m.msgtype]]), [['image', { media_id: image.mediaId }], ['voice', { media_id: voice.mediaId }]])
  const unknown = await wemp(['custom', 'send', FAN, '--image', 'nope'])
  t.match([unknown.code, unknown.err], [EXIT.refused, /errcode 40007 \(invalid media_id\): the media_id is unknown/])
})

test('custom send: exactly one of TEXT, --image, --voice; the 48-hour window is WeChat\'s to refuse', async (t) => {
  const { wemp } = await cliAgainstPlatform(t)
  for (const args of [[FAN], [FAN, 'hi', '--image', 'm'], [FAN, '--image', 'm', '--voice', 'v']]) {
    const run = await wemp(['custom', 'send', ...args])
    t.same([run.code, run.err], [EXIT.usage, 'wemp: give the TEXT, or --image MEDIA_ID, or --voice MEDIA_ID (one of them)\n'], args.join(' '))
  }
  const closed = await wemp(['custom', 'send', OUTSIDE_WINDOW_FAN, '在吗'])
  t.same([closed.code, closed.err], [EXIT.refused, 'wemp: WeChat refused message/custom/send: errcode 45015 (response out of time limit or subscription is canceled): the fan has not written to the account in the last 48 hours, or has unfollowed: customer-service messages are closed until they write again\n'])
})
