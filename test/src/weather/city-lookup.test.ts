import { test } from 'tap'
import { CITIES, PROVINCES } from '../../../src/weather/cities.js'
import { cityByName, findCity, nearestCity } from '../../../src/weather/city-lookup.js'

test('the table holds every prefecture-level division, the municipalities, HK, Macau and Taipei', async (t) => {
  const prefectureLevel = CITIES.filter((city) =>
    ['city', 'autonomous-prefecture', 'league', 'region'].includes(city.kind) && city.province !== '台湾')
  t.equal(prefectureLevel.length, 333, '293 cities + 30 autonomous prefectures + 7 regions + 3 leagues')
  t.equal(prefectureLevel.filter((city) => city.kind === 'city').length, 293)
  t.equal(prefectureLevel.filter((city) => city.kind === 'autonomous-prefecture').length, 30)
  t.equal(prefectureLevel.filter((city) => city.kind === 'region').length, 7)
  t.equal(prefectureLevel.filter((city) => city.kind === 'league').length, 3)
  t.same(CITIES.filter((city) => city.kind === 'municipality').map((city) => city.name), ['北京', '天津', '上海', '重庆'])
  t.same(CITIES.filter((city) => city.kind === 'special-region').map((city) => city.name), ['香港', '澳门'])
  t.equal(PROVINCES.length, 28, '22 provinces + 5 autonomous regions + Taiwan')
})

test('every entry is well formed, uniquely named and inside China', async (t) => {
  const names = new Set<string>()
  for (const city of CITIES) {
    t.notOk(names.has(city.name), `${city.name} is listed once`)
    names.add(city.name)
    t.ok(city.name.length >= 2, `${city.name} has two characters or more`)
    t.ok(city.latitude > 16 && city.latitude < 54, `${city.name} latitude ${city.latitude}`)
    t.ok(city.longitude > 73 && city.longitude < 135, `${city.name} longitude ${city.longitude}`)
    t.equal(Math.round(city.latitude * 100) / 100, city.latitude, `${city.name} latitude to 0.01°`)
    t.equal(Math.round(city.longitude * 100) / 100, city.longitude, `${city.name} longitude to 0.01°`)
  }
})

test('spot checks against known seats (within 0.2°)', async (t) => {
  const known: Array<[string, number, number]> = [
    ['北京', 39.9, 116.4], ['上海', 31.23, 121.47], ['广州', 23.13, 113.26], ['乌鲁木齐', 43.83, 87.62],
    ['拉萨', 29.65, 91.1], ['哈尔滨', 45.75, 126.65], ['三亚', 18.25, 109.5], ['喀什', 39.47, 75.99],
    ['加格达奇', 50.42, 124.12], ['狮泉河', 32.5, 80.1], ['香港', 22.3, 114.17], ['台北', 25.03, 121.56]
  ]
  for (const [name, latitude, longitude] of known) {
    const city = cityByName(name)?.city
    t.ok(city !== undefined && Math.abs(city.latitude - latitude) < 0.2 && Math.abs(city.longitude - longitude) < 0.2, name)
  }
})

test('every accepted spelling finds its place', async (t) => {
  const spellings: Array<[string, string]> = [
    ['上海', '上海'], ['上海市', '上海'], [' 北京市 ', '北京'], ['延边', '延边'], ['延边州', '延边'],
    ['延边朝鲜族自治州', '延边'], ['锡林郭勒', '锡林郭勒'], ['锡林郭勒盟', '锡林郭勒'], ['锡盟', '锡林郭勒'],
    ['阿里地区', '阿里'], ['巴州', '巴音郭楞'], ['襄樊', '襄阳'], ['香港特别行政区', '香港'],
    ['广东', '广州'], ['广东省', '广州'], ['内蒙', '呼和浩特'], ['内蒙古自治区', '呼和浩特'],
    ['吉林', '吉林'], ['吉林市', '吉林'], ['吉林省', '长春'], ['海南', '海口'], ['海南州', '海南'],
    ['海南藏族自治州', '海南'], ['台湾', '台北'], ['石河子', '石河子'], ['库尔勒市', '库尔勒']
  ]
  for (const [spelling, name] of spellings) t.equal(cityByName(spelling)?.city.name, name, spelling)
  t.equal(cityByName('广东')?.province?.name, '广东')
  t.equal(cityByName('广州')?.province, undefined)
  t.equal(cityByName('纽约'), null)
  t.equal(cityByName('京'), null, 'no one-character names')
})

test('findCity: longest, then city over province, then first', async (t) => {
  t.match(findCity('呼和浩特明天'), { city: { name: '呼和浩特' }, matched: '呼和浩特', index: 0 })
  t.match(findCity('我在上海市'), { city: { name: '上海' }, matched: '上海市', index: 2 })
  t.match(findCity('广东省深圳市'), { city: { name: '深圳' } })
  t.match(findCity('吉林长春'), { city: { name: '长春' } })
  t.match(findCity('去北京还是去天津'), { city: { name: '北京' } })
  t.match(findCity('广东'), { city: { name: '广州' }, province: { name: '广东' } })
  t.equal(findCity('今天天气不错'), null)
  t.equal(findCity(''), null)
  t.equal(findCity('京'), null)
})

test('nearestCity names a point by the closest known place', async (t) => {
  t.equal(nearestCity(39.95, 116.3).city.name, '北京', 'Haidian')
  t.equal(nearestCity(22.55, 114.1).city.name, '深圳')
  t.equal(nearestCity(41.76, 86.15).city.name, '库尔勒', 'a seat beats its prefecture on a tie')
  t.ok(nearestCity(39.95, 116.3).distanceKm < 15)
  t.ok(nearestCity(0, 0).distanceKm > 5000)
})
