import { test } from 'tap'
import { checkLocationReport, hasAtMostSixDecimals } from '../../../src/fan-location/location-report.js'

const GOOD = { latitude: 30.572815, longitude: 104.066801, source: 'jssdk', csrf: 'token' }

test('a well-formed report passes as sent', async (t) => {
  t.same(checkLocationReport(GOOD), { ok: true, report: GOOD })
  t.same(checkLocationReport({ ...GOOD, source: 'browser', latitude: -90, longitude: 180 }).ok, true)
  t.same(checkLocationReport({ ...GOOD, latitude: 30, longitude: 104.1 }).ok, true)
})

test('six decimals at most, as JSON writes them', async (t) => {
  for (const value of [0, 1, -1, 39.908823, 116.39747, 0.000001, -179.999999, 1e-6, 89.123456]) t.ok(hasAtMostSixDecimals(value), String(value))
  for (const value of [39.9088231, 0.0000001, 1e-7, 116.3974712345, 1 / 3, 5e-324]) t.notOk(hasAtMostSixDecimals(value), String(value))
  const parsed = JSON.parse('{"latitude":30.5728151,"longitude":104.066801,"source":"jssdk","csrf":"t"}') as unknown
  t.same(checkLocationReport(parsed), { ok: false, problem: 'latitude: at most 6 decimals' })
  t.same(checkLocationReport({ ...GOOD, longitude: 104.0668011 }), { ok: false, problem: 'longitude: at most 6 decimals' })
})

test('anything else is a problem that names the field, never the value', async (t) => {
  const cases: Array<[unknown, RegExp]> = [
    [{ ...GOOD, latitude: 90.5 }, /^latitude: /],
    [{ ...GOOD, longitude: -180.1 }, /^longitude: /],
    [{ ...GOOD, latitude: '30.5' }, /^latitude: /],
    [{ ...GOOD, longitude: null }, /^longitude: /],
    [{ ...GOOD, source: 'gps' }, /^source: /],
    [{ ...GOOD, csrf: '' }, /^csrf: /],
    [{ ...GOOD, csrf: 'x'.repeat(129) }, /^csrf: /],
    [{ latitude: 30, longitude: 104, source: 'jssdk' }, /^csrf: /],
    [{ ...GOOD, extra: 1 }, /^extra: /],
    [[30, 104], /^body: /],
    ['30,104', /^body: /],
    [null, /^body: /]
  ]
  for (const [body, problem] of cases) {
    const checked = checkLocationReport(body)
    t.equal(checked.ok, false, JSON.stringify(body))
    if (!checked.ok) {
      t.match(checked.problem, problem)
      t.notMatch(checked.problem, /30\.5|90\.5|180\.1|gps/, 'the value sent is not echoed')
    }
  }
})
