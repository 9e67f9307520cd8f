import { test } from 'tap'
import { parseWeatherRequest } from '../../../src/weather/weather-request.js'

// Wednesday 2026-11-25, 10:00 in Shanghai.
const NOW = new Date('2026-11-25T10:00:00+08:00')

type Question = 'rain' | 'snow' | 'cold' | 'hot' | 'general'
/** [text, city shown, latitude, longitude, day offset, day label, question] */
type Phrasing = readonly [string, string, number, number, number, string, Question]

const PHRASINGS: readonly Phrasing[] = [
  ['北京天气', '北京', 39.90, 116.41, 0, '今天', 'general'],
  ['上海市明天天气', '上海', 31.23, 121.47, 1, '明天', 'general'],
  ['明天上海会下雨吗', '上海', 31.23, 121.47, 1, '明天', 'rain'],
  ['北京天气怎么样', '北京', 39.90, 116.41, 0, '今天', 'general'],
  ['广州冷吗', '广州', 23.13, 113.26, 0, '今天', 'cold'],
  ['深圳天气', '深圳', 22.54, 114.06, 0, '今天', 'general'],
  ['后天杭州天气', '杭州', 30.27, 120.16, 2, '后天', 'general'],
  ['大后天成都下雨吗', '成都', 30.57, 104.06, 3, '大后天', 'rain'],
  ['周五武汉天气', '武汉', 30.59, 114.31, 2, '周五', 'general'],
  ['星期六西安冷不冷', '西安', 34.34, 108.94, 3, '周六', 'cold'],
  ['这周末南京天气', '南京', 32.06, 118.80, 3, '这周末', 'general'],
  ['呼和浩特明天几度', '呼和浩特', 40.84, 111.75, 1, '明天', 'general'],
  ['乌鲁木齐今天下雪吗', '乌鲁木齐', 43.83, 87.62, 0, '今天', 'snow'],
  ['哈尔滨市明日气温', '哈尔滨', 45.80, 126.54, 1, '明天', 'general'],
  ['重庆热不热', '重庆', 29.56, 106.55, 0, '今天', 'hot'],
  ['天津今日天气', '天津', 39.09, 117.20, 0, '今天', 'general'],
  ['广东天气', '广州', 23.13, 113.26, 0, '今天', 'general'],
  ['吉林省天气', '长春', 43.82, 125.32, 0, '今天', 'general'],
  ['吉林天气', '吉林', 43.84, 126.55, 0, '今天', 'general'],
  ['吉林长春明天天气', '长春', 43.82, 125.32, 1, '明天', 'general'],
  ['海南天气', '海口', 20.04, 110.20, 0, '今天', 'general'],
  ['海南州天气', '海南', 36.29, 100.62, 0, '今天', 'general'],
  ['延边朝鲜族自治州天气', '延边', 42.89, 129.51, 0, '今天', 'general'],
  ['延吉明天冷吗', '延吉', 42.89, 129.51, 1, '明天', 'cold'],
  ['恩施州后天下雨吗', '恩施', 30.27, 109.49, 2, '后天', 'rain'],
  ['湖北恩施天气', '恩施', 30.27, 109.49, 0, '今天', 'general'],
  ['大兴安岭地区天气', '大兴安岭', 50.42, 124.12, 0, '今天', 'general'],
  ['锡林郭勒盟明天天气', '锡林郭勒', 43.93, 116.05, 1, '明天', 'general'],
  ['阿里地区天气', '阿里', 32.50, 80.11, 0, '今天', 'general'],
  ['香港明天天气', '香港', 22.28, 114.17, 1, '明天', 'general'],
  ['澳门周日会下雨吗', '澳门', 22.20, 113.55, 4, '周日', 'rain'],
  ['下周五厦门天气', '厦门', 24.48, 118.09, 9, '下周五', 'general'],
  ['礼拜天青岛天气', '青岛', 36.07, 120.38, 4, '周日', 'general'],
  ['12月3日昆明天气', '昆明', 24.88, 102.83, 8, '12月3日', 'general'],
  ['3号拉萨天气', '拉萨', 29.64, 91.11, 8, '12月3日', 'general'],
  ['库尔勒天气', '库尔勒', 41.76, 86.15, 0, '今天', 'general'],
  ['内蒙古赤峰明天天气', '赤峰', 42.26, 118.89, 1, '明天', 'general'],
  ['四川成都后天天气', '成都', 30.57, 104.06, 2, '后天', 'general'],
  ['长沙要带伞吗', '长沙', 28.23, 112.94, 0, '今天', 'rain'],
  ['郑州明天穿什么', '郑州', 34.75, 113.62, 1, '明天', 'general'],
  ['苏州这周末冷吗', '苏州', 31.30, 120.58, 3, '这周末', 'cold'],
  ['请问三亚明天热吗', '三亚', 18.25, 109.51, 1, '明天', 'hot'],
  ['济南现在气温多少度', '济南', 36.65, 117.12, 0, '今天', 'general'],
  ['石家庄天气预报', '石家庄', 38.04, 114.51, 0, '今天', 'general'],
  ['西双版纳下周一天气', '西双版纳', 22.01, 100.80, 5, '下周一', 'general'],
  ['台北天气', '台北', 25.03, 121.52, 0, '今天', 'general'],
  ['东莞明晚会下雨吗', '东莞', 23.02, 113.75, 1, '明天', 'rain'],
  ['齐齐哈尔今晚冷吗', '齐齐哈尔', 47.35, 123.92, 0, '今天', 'cold'],
  ['桂林星期五天气', '桂林', 25.27, 110.29, 2, '周五', 'general'],
  ['宁夏银川天气', '银川', 38.49, 106.23, 0, '今天', 'general'],
  ['新疆维吾尔自治区喀什地区天气', '喀什', 39.47, 75.99, 0, '今天', 'general'],
  ['广西壮族自治区天气', '南宁', 22.82, 108.37, 0, '今天', 'general'],
  ['黔东南天气', '黔东南', 26.58, 107.98, 0, '今天', 'general'],
  ['周三北京天气', '北京', 39.90, 116.41, 0, '周三', 'general'],
  ['本周五上海天气', '上海', 31.23, 121.47, 2, '这周五', 'general'],
  ['北京和呼和浩特明天天气', '呼和浩特', 40.84, 111.75, 1, '明天', 'general'],
  ['上海东部明天天气', '上海', 31.23, 121.47, 1, '明天', 'general'],
  ['巴州天气', '巴音郭楞', 41.76, 86.15, 0, '今天', 'general'],
  ['  大连   明天 刮风吗 ', '大连', 38.91, 121.61, 1, '明天', 'general'],
  ['天门今天天气', '天门', 30.66, 113.17, 0, '今天', 'general'],
  ['昆明天气', '昆明', 24.88, 102.83, 0, '今天', 'general'],
  ['三明明天天气', '三明', 26.26, 117.64, 1, '明天', 'general'],
  ['今天天水天气', '天水', 34.58, 105.72, 0, '今天', 'general'],
  ['香港明天天氣', '香港', 22.28, 114.17, 1, '明天', 'general'],
  ['北京冷', '北京', 39.90, 116.41, 0, '今天', 'cold'],
  ['我在成都，明天冷吗', '成都', 30.57, 104.06, 1, '明天', 'cold'],
  ['西安下雪了吗', '西安', 34.34, 108.94, 0, '今天', 'snow']
]

test(`${PHRASINGS.length} phrasings resolve to a city, its coordinates, a day and a question`, async (t) => {
  t.ok(PHRASINGS.length >= 40)
  for (const [text, name, latitude, longitude, offset, label, question] of PHRASINGS) {
    const request = parseWeatherRequest(text, NOW)
    t.match(request, {
      city: { name, latitude, longitude },
      dayOffset: offset,
      dayLabel: label,
      question
    }, text)
  }
})

test('a province alone stands for its capital and says so', async (t) => {
  t.equal(parseWeatherRequest('广东天气', NOW)?.province?.fullName, '广东省')
  t.equal(parseWeatherRequest('广州天气', NOW)?.province, undefined)
})

test('a weekend asks for two days, Saturday first', async (t) => {
  t.match(parseWeatherRequest('周末北京天气', NOW), { dayOffset: 3, days: 2, dayLabel: '这周末' })
  t.match(parseWeatherRequest('北京明天天气', NOW), { days: 1 })
})

test('texts that are not about weather, or only small talk with a weather word, are left to other skills', async (t) => {
  for (const text of ['北京', '上海市', '呼和浩特', '你好', '明天北京见', '热门文章', '冷静一下', '雪碧多少钱', '', '   ',
    '我好冷', '热死了', '晴天', `北京${'很'.repeat(60)}冷`]) {
    t.equal(parseWeatherRequest(text, NOW), null, JSON.stringify(text))
  }
})

test('a weather question without a place asks for the location, and day words never read as a city', async (t) => {
  for (const [text, question] of [['天气', 'general'], ['今天冷吗', 'cold'], ['明天会下雨吗', 'rain'],
    ['外面冷吗', 'cold'], ['今天门口冷吗', 'cold'], ['我这里明天热吗', 'hot'], ['这周末天气怎么样', 'general'],
    ['明天热', 'hot'], ['为什么会下雨', 'rain'], ['你那边天气怎么样', 'general']] as const) {
    const request = parseWeatherRequest(text, NOW)
    t.ok(request, text)
    t.equal(request?.city, undefined, `${text}: no city`)
    t.equal(request?.unknownPlace, undefined, `${text}: no unknown place`)
    t.equal(request?.question, question, text)
  }
})

test('a place the table does not know is reported, not guessed', async (t) => {
  for (const [text, place] of [['纽约天气', '纽约'], ['东京的天气怎么样', '东京'], ['火星明天会下雨吗', '火星'],
    ['海淀区天气', '海淀区'], ['帮我查一下巴黎天气', '巴黎'], ['伦敦市明天冷吗', '伦敦']] as const) {
    const request = parseWeatherRequest(text, NOW)
    t.equal(request?.city, undefined, text)
    t.equal(request?.unknownPlace, place, text)
  }
})

test('a remark on the weather, or a span rather than a day, is left to other rules', async (t) => {
  for (const text of ['今天天气真好啊，心情不错', '今天天气真好', '天气不错', '外面下雨了', '我喜欢下雨天', '今天好冷啊',
    '北京今天真冷', '这天气太热了！', '上海天气挺好的', '我下周去成都出差，要带伞吗', '下个月北京冷吗', '下个星期天气']) {
    t.equal(parseWeatherRequest(text, NOW), null, text)
  }
})

test('an asking cue keeps a remark a question, and place names that hold remark markers stay places', async (t) => {
  for (const [text, name, question] of [['天气真好，明天北京会下雨吗', '北京', 'rain'], ['北京今天天气好吗', '北京', 'general'],
    ['北京明天天气好不好', '北京', 'general'], ['北京下雪了吗', '北京', 'snow'], ['了解一下北京天气', '北京', 'general'],
    ['太原天气', '太原', 'general'], ['哈尔滨和太原明天天气', '哈尔滨', 'general'], ['哈密冷吗', '哈密', 'cold'],
    ['下周五厦门天气', '厦门', 'general'], ['下周末上海天气', '上海', 'general'], ['下星期天南京天气', '南京', 'general']] as const) {
    t.match(parseWeatherRequest(text, NOW), { city: { name }, question }, text)
  }
})
