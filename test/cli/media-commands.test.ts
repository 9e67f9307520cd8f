import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'tap'
import { EXIT } from '../../cli/program.js'
import { SAMPLE_BYTES } from '../fixtures/media-bytes.js'
import { cliAgainstPlatform } from './cli-fixture.js'

test('media upload: three-day media by default, with its media_id and until when', async (t) => {
  const { platform, dir, wemp } = await cliAgainstPlatform(t)
  writeFileSync(join(dir, 'poster.png'), SAMPLE_BYTES.png)
  const run = await wemp(['media', 'upload', 'poster.png', '--type', 'image'])
  t.equal(run.code, EXIT.ok, run.err)
  const [stored] = [...platform.state.media.temporary.values()]
  t.same(stored?.bytes, SAMPLE_BYTES.png)
  t.equal(stored?.filename, 'poster.png')
  t.equal(run.out, `uploaded poster.png as temporary image media, usable until ${new Date(((stored?.createdAt ?? 0) + 3 * 86400) * 1000).toISOString()} (three days)\n  media_id  ${stored?.mediaId ?? ''}\n`)
  const json = await wemp(['--json', 'media', 'upload', join(dir, 'poster.png'), '--type', 'thumb'])
  t.equal(json.code, EXIT.refused, 'a thumb is a JPEG: refused before sending')
  t.match(JSON.parse(json.err), { error: { kind: 'invalid-request', api: 'media/upload', message: /a thumb is one of jpg/ } })
})

test('media upload --permanent: material, with the image\'s URL; a video needs a title', async (t) => {
  const { platform, dir, wemp } = await cliAgainstPlatform(t)
  writeFileSync(join(dir, 'logo.gif'), SAMPLE_BYTES.gif)
  writeFileSync(join(dir, 'intro.mp4'), SAMPLE_BYTES.mp4)
  const image = await wemp(['media', 'upload', 'logo.gif', '--type', 'image', '--permanent'])
  const [stored] = [...platform.state.media.permanent.values()]
  t.match(image.out, new RegExp(`^uploaded logo\\.gif as permanent image material\\n  media_id  ${stored?.mediaId ?? ''}\\n  url       http://mmbiz\\.qpic\\.cn/`))
  const untitled = await wemp(['media', 'upload', 'intro.mp4', '--type', 'video', '--permanent'])
  t.same([untitled.code, untitled.err], [EXIT.usage, 'wemp: a permanent video needs --title (and --introduction)\n'])
  const video = await wemp(['--json', 'media', 'upload', 'intro.mp4', '--type', 'video', '--permanent', '--title', '开箱', '--introduction', '新品'])
  t.match(video.json(), { permanent: true, type: 'video', file: 'intro.mp4', mediaId: String, url: null })
  t.match([...platform.state.media.permanent.values()].at(-1), { type: 'video', title: '开箱', introduction: '新品' })
  await wemp(['media', 'upload', 'intro.mp4', '--type', 'video', '--permanent', '--title', '无简介'])
  t.match([...platform.state.media.permanent.values()].at(-1), { title: '无简介', introduction: '' })
  const voice = await wemp(['media', 'upload', 'logo.gif', '--type', 'voice'])
  t.equal(voice.code, EXIT.refused)
})
