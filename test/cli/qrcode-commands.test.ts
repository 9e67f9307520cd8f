import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'tap'
import { EXIT } from '../../cli/program.js'
import { duration } from '../../cli/qrcode-commands.js'
import { cliAgainstPlatform } from './cli-fixture.js'

const CREATE = '/cgi-bin/qrcode/create'
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47])

test('qrcode create: digits are a scene_id, 30 days by default; the image saved with --out', async (t) => {
  const { platform, dir, wemp } = await cliAgainstPlatform(t)
  const run = await wemp(['qrcode', 'create', '--scene', '123', '--out', 'qr.png'])
  t.equal(run.code, EXIT.ok, run.err)
  t.equal(platform.state.requests.last(CREATE)?.body, '{"expire_seconds":2592000,"action_name":"QR_SCENE","action_info":{"scene":{"scene_id":123}}}')
  const [code] = [...platform.state.qrcodes.codes.values()]
  t.match(run.out, /^temporary QR code for scene_id 123, expires \d{4}-\d\d-\d\dT[\d:.]+Z \(in 30 days\)\n/)
  t.match(run.out, `  ticket  ${code?.ticket ?? ''}\n  url     ${code?.url ?? ''}\n`)
  t.match(run.out, `  image   ${platform.url}/cgi-bin/showqrcode?ticket=${encodeURIComponent(code?.ticket ?? '')}\n`)
  t.match(run.out, /  saved   qr\.png \(image\/png, \d+ bytes\)\n/)
  t.match(run.out, /pushes subscribe with EventKey qrscene_123 \(a new follower\) or SCAN with EventKey 123 \(a follower\)\n$/)
  t.same(readFileSync(join(dir, 'qr.png')).subarray(0, 4), PNG_SIGNATURE)
})

test('qrcode create: any other scene is a scene_str; --expire and --permanent; --json', async (t) => {
  const { platform, wemp } = await cliAgainstPlatform(t)
  const run = await wemp(['--json', 'qrcode', 'create', '--scene', 'spring-2024', '--expire', '3600'])
  t.equal(platform.state.requests.last(CREATE)?.body, '{"expire_seconds":3600,"action_name":"QR_STR_SCENE","action_info":{"scene":{"scene_str":"spring-2024"}}}')
  const json = run.json<{ ticket: string, expiresAt: string }>()
  t.match(json, { permanent: false, scene: 'spring-2024', ticket: String, url: /^http:\/\/weixin\.qq\.com\/q\//, imageUrl: /showqrcode\?ticket=/, expireSeconds: 3600 })
  t.ok(Math.abs(Date.parse(json.expiresAt) - Date.now() - 3600_000) < 10_000)
  t.equal(platform.state.qrcodes.codes.get(json.ticket)?.scene, 'spring-2024')

  const permanent = await wemp(['qrcode', 'create', '--scene', '007', '--permanent'])
  t.equal(platform.state.requests.last(CREATE)?.body, '{"action_name":"QR_LIMIT_STR_SCENE","action_info":{"scene":{"scene_str":"007"}}}')
  t.match(permanent.out, /^permanent QR code for scene_str 007, for good\n/)
  t.match((await wemp(['--json', 'qrcode', 'create', '--scene', '9', '--permanent'])).json(), { permanent: true, scene: 9, expireSeconds: null, expiresAt: null })
})

test('qrcode create: a scene past WeChat\'s limits is refused before sending, exit 1', async (t) => {
  const { platform, wemp } = await cliAgainstPlatform(t)
  const run = await wemp(['qrcode', 'create', '--scene', '100001', '--permanent'])
  t.same([run.code, run.err], [EXIT.refused, 'wemp: qrcode/create not sent: WeChat would refuse it: a scene id is an integer from 1 to 100000\n'])
  const json = await wemp(['--json', 'qrcode', 'create', '--scene', 'x'.repeat(65)])
  t.same(JSON.parse(json.err), { error: { kind: 'invalid-request', api: 'qrcode/create', message: 'a scene string has 1 to 64 characters' } })
  t.equal(platform.state.callCount(CREATE), 0)
  platform.state.failNext(CREATE, { errcode: 45029, errmsg: 'qrcode count out of limit' })
  const limit = await wemp(['qrcode', 'create', '--scene', '5', '--permanent'])
  t.same([limit.code, limit.err], [EXIT.refused, 'wemp: WeChat refused qrcode/create: errcode 45029 (qrcode count out of limit): the account has its 100,000 permanent QR codes: use temporary ones\n'])
})

test('qrcode create --out: an image that cannot be saved is a usage error, after the code was made', async (t) => {
  const { wemp } = await cliAgainstPlatform(t)
  const run = await wemp(['qrcode', 'create', '--scene', '1', '--out', 'no/such/dir/qr.png'])
  t.same([run.code, run.err], [EXIT.usage, 'wemp: cannot write no/such/dir/qr.png (ENOENT)\n'])
})

test('a lifetime in the largest unit that divides it', async (t) => {
  t.same([duration(2_592_000), duration(86_400), duration(7200), duration(3600), duration(120), duration(90), duration(1)],
    ['30 days', '1 day', '2 hours', '1 hour', '2 minutes', '90 seconds', '1 second'])
})
