import { test } from 'tap'
import { CITIES } from '../../../src/weather/cities.js'
import { cityByName } from '../../../src/weather/city-lookup.js'
import type { City } from '../../../src/weather/cities.js'
import {
  assertCoordinates, FAR_KM, greatCircleKm, nearestPrefectureCity, NOWHERE_KM, PREFECTURE_LEVEL
} from '../../../src/weather/nearest-city.js'

function city (name: string): City {
  const found = cityByName(name)?.city
  if (found === undefined) throw new Error(`no ${name} in the table`)
  return found
}

/** A point `fraction` of the way from one city to another (fine for short hops). */
function between (from: City, to: City, fraction: number): [number, number] {
  return [from.latitude + (to.latitude - from.latitude) * fraction, from.longitude + (to.longitude - from.longitude) * fraction]
}

test('great-circle distances match published figures', async (t) => {
  // Beijing–Shanghai centres: 1068 km; London–New York: 5570 km (both widely published).
  t.ok(Math.abs(greatCircleKm(39.9, 116.41, 31.23, 121.47) - 1068) < 5)
  t.ok(Math.abs(greatCircleKm(51.5074, -0.1278, 40.7128, -74.006) - 5570) < 10)
  t.equal(greatCircleKm(30, 104, 30, 104), 0)
  t.ok(Math.abs(greatCircleKm(0, 0, 0, 180) - Math.PI * 6371) < 1e-6, 'antipodes: half the circumference, no NaN')
})

test('the candidates: prefecture level and above, and the province-administered cities', async (t) => {
  const names = PREFECTURE_LEVEL.map((entry) => entry.name)
  for (const name of ['成都', '延边', '阿里', '北京', '香港', '台北', '济源', '石河子']) t.ok(names.includes(name), name)
  for (const name of ['延吉', '库尔勒', '格尔木']) t.notOk(names.includes(name), `${name} is county level under a prefecture`)
  t.equal(PREFECTURE_LEVEL.length, CITIES.length - 25, 'every entry but the 24 seats and 格尔木')
})

test('every candidate city maps to itself, at no distance', async (t) => {
  for (const entry of PREFECTURE_LEVEL) {
    const found = nearestPrefectureCity(entry.latitude, entry.longitude)
    t.same(found, { kind: 'city', city: entry, distanceKm: 0 }, entry.fullName)
  }
})

test('a seat maps to its prefecture; 格尔木 is far from its own', async (t) => {
  t.match(nearestPrefectureCity(41.76, 86.15), { kind: 'city', city: { fullName: '巴音郭楞蒙古自治州' } }, '库尔勒')
  t.match(nearestPrefectureCity(city('延吉').latitude, city('延吉').longitude), { kind: 'city', city: { name: '延边' } })
  const golmud = nearestPrefectureCity(city('格尔木').latitude, city('格尔木').longitude)
  t.equal(golmud.kind, 'far')
  t.equal(golmud.kind === 'far' && golmud.city.name, '海西')
  t.ok(Math.abs(golmud.distanceKm - greatCircleKm(36.40, 94.90, 37.38, 97.37)) < 1e-9, 'measured to 德令哈, 海西’s seat')
})

test('points between cities go to the nearer one, within FAR_KM', async (t) => {
  const chengdu = city('成都')
  const deyang = city('德阳')
  const span = greatCircleKm(chengdu.latitude, chengdu.longitude, deyang.latitude, deyang.longitude)
  t.ok(span < 2 * FAR_KM, `成都–德阳 is ${Math.round(span)} km`)
  const nearChengdu = nearestPrefectureCity(...between(chengdu, deyang, 0.3))
  t.match(nearChengdu, { kind: 'city', city: { name: '成都' } })
  t.ok(Math.abs(nearChengdu.distanceKm - 0.3 * span) < 1, 'about 30% of the span from 成都')
  t.match(nearestPrefectureCity(...between(chengdu, deyang, 0.7)), { kind: 'city', city: { name: '德阳' } })
  // 鄂州 and 黄冈 are 7 km apart across the Yangtze: each side still finds its own.
  t.match(nearestPrefectureCity(...between(city('鄂州'), city('黄冈'), 0.2)), { city: { name: '鄂州' } })
  t.match(nearestPrefectureCity(...between(city('鄂州'), city('黄冈'), 0.8)), { city: { name: '黄冈' } })
  t.match(nearestPrefectureCity(22.55, 114.1), { kind: 'city', city: { fullName: '深圳市' } })
})

test('farther than FAR_KM: the city and how far, anywhere in China', async (t) => {
  // Northern Tibet's Changtang plateau, and the emptiest spot where Xinjiang meets Tibet.
  const changtang = nearestPrefectureCity(34, 86)
  t.match(changtang, { kind: 'far', city: { name: '阿里' } })
  t.ok(changtang.distanceKm > FAR_KM && changtang.distanceKm < NOWHERE_KM)
  const emptiest = nearestPrefectureCity(35.85, 87.15)
  t.equal(emptiest.kind, 'far', 'the emptiest spot in China still names a city')
  t.ok(emptiest.distanceKm > 600, `${Math.round(emptiest.distanceKm)} km`)
  // A third of the way from 拉萨 to 日喀则, on the road through 尼木.
  const lhasa = city('拉萨')
  const shigatse = city('日喀则')
  const span = greatCircleKm(lhasa.latitude, lhasa.longitude, shigatse.latitude, shigatse.longitude)
  const onTheRoad = nearestPrefectureCity(...between(lhasa, shigatse, 1 / 3))
  t.match(onTheRoad, { kind: 'far', city: { fullName: '拉萨市' } })
  t.ok(Math.abs(onTheRoad.distanceKm - span / 3) < 2, `${Math.round(onTheRoad.distanceKm)} km of ${Math.round(span)}`)
})

test('at sea or abroad, far from every city: no city at all', async (t) => {
  const places: Array<[string, number, number]> = [
    ['the East China Sea, east of 舟山', 30, 130], ['the western Pacific', 20, 140], ['the Indian Ocean', -10, 80],
    ['Tokyo', 35.68, 139.69], ['Ulaanbaatar', 47.92, 106.91], ['Moscow', 55.75, 37.62], ['New York', 40.71, -74.01],
    ['the South Pole', -90, 0], ['the date line', 0, 180], ['the other side of it', 0, -180]
  ]
  for (const [name, latitude, longitude] of places) {
    const found = nearestPrefectureCity(latitude, longitude)
    t.equal(found.kind, 'nowhere', name)
    t.notOk('city' in found, `${name}: no city named`)
    t.ok(found.distanceKm > NOWHERE_KM, `${name}: ${Math.round(found.distanceKm)} km`)
  }
})

test('abroad but near China: the distance to a Chinese city, which is true', async (t) => {
  t.match(nearestPrefectureCity(37.57, 126.98), { kind: 'far', city: { name: '丹东' } }, 'Seoul')
  t.match(nearestPrefectureCity(21.03, 105.85), { kind: 'far', city: { name: '崇左' } }, 'Hanoi')
})

test('input validation: numbers on the globe only', async (t) => {
  const bad: Array<[unknown, unknown]> = [
    [Number.NaN, 100], [30, Number.NaN], [Infinity, 100], [30, -Infinity], [90.000001, 0], [-90.5, 0],
    [0, 180.5], [0, -181], ['30', 104], [30, '104'], [null, 104], [undefined, 104]
  ]
  for (const [latitude, longitude] of bad) {
    t.throws(() => nearestPrefectureCity(latitude as number, longitude as number), RangeError, `${String(latitude)}, ${String(longitude)}`)
  }
  t.throws(() => { assertCoordinates(91, 0) }, { message: /latitude/ })
  t.throws(() => { assertCoordinates(0, 181) }, { message: /longitude/ })
  t.doesNotThrow(() => { assertCoordinates(-90, -180) })
  t.doesNotThrow(() => { assertCoordinates(90, 180) })
})
