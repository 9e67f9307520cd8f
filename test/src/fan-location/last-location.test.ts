import { test } from 'tap'
import { forgetLastLocation, LOCATION_TTL_MS, locationKey, parseLastLocation, readLastLocation, saveLastLocation } from '../../../src/fan-location/last-location.js'
import { createMemoryStore } from '../../../src/store/memory-store.js'
import { createRedisStore } from '../../../src/store/redis-store.js'
import { StoreUnavailableError } from '../../../src/store/store-call.js'
import { refusedBaseUrl } from '../weather/fake-open-meteo.js'

test('saved, read back, expired after a day, forgotten', async (t) => {
  let now = 1_750_000_000_000
  const store = createMemoryStore({ now: () => now })
  const location = { latitude: 30.572815, longitude: 104.066801, source: 'jssdk' as const, reportedAt: now }
  await saveLastLocation(store, 'oFan1', location)
  t.equal(locationKey('oFan1'), 'loc:oFan1', 'the weather rules\' key')
  t.same(JSON.parse(await store.get('loc:oFan1') as string), location)
  t.same(await readLastLocation(store, 'oFan1'), location)
  t.equal(await readLastLocation(store, 'oFan2'), null, 'per fan')
  now += LOCATION_TTL_MS
  t.equal(await readLastLocation(store, 'oFan1'), null, 'gone after a day')
  await saveLastLocation(store, 'oFan1', location, 1000)
  await forgetLastLocation(store, 'oFan1')
  t.equal(await store.get('loc:oFan1'), null)
})

test('records of every age: with or without source and time; what is not a record is none', async (t) => {
  t.same(parseLastLocation('{"latitude":23.1,"longitude":113.3,"label":"广州塔"}'), { latitude: 23.1, longitude: 113.3, source: 'report', label: '广州塔' },
    'the weather rules\' records before sources were kept: the account\'s report')
  t.same(parseLastLocation('{"latitude":-33.86,"longitude":151.21,"source":"browser","reportedAt":1}'), { latitude: -33.86, longitude: 151.21, source: 'browser', reportedAt: 1 })
  t.same(parseLastLocation('{"latitude":0,"longitude":0,"source":"satellite","reportedAt":"today","label":7}'), { latitude: 0, longitude: 0, source: 'report' })
  for (const raw of [null, '', '{', 'null', '[]', '"x"', '{"latitude":90.1,"longitude":0}', '{"latitude":0,"longitude":-180.5}', '{"latitude":"1","longitude":2}', '{"longitude":2}']) {
    t.equal(parseLastLocation(raw), null, String(raw))
  }
})

test('a store that fails: StoreUnavailableError, naming the operation and no key', async (t) => {
  const store = createRedisStore({ url: (await refusedBaseUrl()).replace('http:', 'redis:'), connectTimeoutMs: 200 })
  t.teardown(() => store.close())
  for (const [operation, run] of [
    ['location get', () => readLastLocation(store, 'oFan1')],
    ['location set', () => saveLastLocation(store, 'oFan1', { latitude: 1, longitude: 2, source: 'browser' })],
    ['location delete', () => forgetLastLocation(store, 'oFan1')]
  ] as const) {
    const error = await (run() as Promise<unknown>).then(() => undefined, (e: unknown) => e)
    t.type(error, StoreUnavailableError, operation)
    t.match((error as Error).message, operation)
    t.notMatch((error as Error).message, /oFan1|loc:/)
  }
})
