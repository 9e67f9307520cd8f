import { test } from 'tap'
import { RESET_FAILED_TEXT, RESET_TEXT, type Overflow } from '../../../src/bot/llm-rules.js'
import { apologyFor } from '../../../src/llm/chat-failure.js'
import { MAX_REMEMBERED_CHARS, memoryKey } from '../../../src/llm/fan-memory.js'
import { CONTINUE_NOTICE, CONTINUE_NOTICE_BYTES, heldPartsKey } from '../../../src/llm/held-parts.js'
import { PASSIVE_TEXT_MAX_BYTES, utf8Bytes } from '../../../src/llm/split-text.js'
import { createMemoryStore } from '../../../src/store/memory-store.js'
import type { Store } from '../../../src/store/store.js'
import { PUSHES } from '../../fixtures/pushes.js'
import { lastMessage, script, toolUser, withoutTools, type FakeModel } from '../../helpers/fake-llm.js'
import { refusedBaseUrl } from '../weather/fake-open-meteo.js'
import { FAN, pushOf, text } from './bot-fixtures.js'
import { API_KEY, setup, shown, SYSTEM_PROMPT } from './llm-fixtures.js'

const OTHER_FAN = 'oOtherFan000000000000000001'
/** A model that says which request it is answering and what it was asked. */
const numbered: FakeModel = (request, index) => ({ text: `第${index + 1}次：${String(lastMessage(request).content)}` })

test('rules first: a keyword, a weather question and other message types never reach the model', async (t) => {
  const { llm, meteo, say } = await setup(t, { model: numbered })
  t.equal(await say(text('帮助')), '发送“北京天气”试试。')
  t.match(await say(text('明天北京天气')), /^北京 明天/)
  t.equal(await say(pushOf(PUSHES.image)), 'image', 'the echo keeps what is not text')
  t.equal(await say(text('   ')), '   ', 'a blank text is not worth a question')
  t.equal(llm.requests.length, 0)
  t.equal(meteo.requests.length, 1)

  t.equal(await say(text('今天天气真好啊，心情不错')), '第1次：今天天气真好啊，心情不错', 'a remark on the weather goes to the model')
  t.equal(await say(text('你好')), '第2次：你好', 'and so does any text no rule takes, instead of the echo')
  const [first] = llm.requests
  t.equal(first?.headers.authorization, `Bearer ${API_KEY}`)
  t.match(first?.body.messages[0], { role: 'system', content: new RegExp(`^${SYSTEM_PROMPT}\\n\\n现在是北京时间 2026年11月25日（周三）10:00。$`) })
})

test('memory per fan: the last turns come with the next question; another fan sees none of them', async (t) => {
  const { llm, store, say } = await setup(t, { model: numbered, settings: { maxTurns: 2 } })
  await say(text('我叫小明'))
  await say(text('我住在杭州'))
  await say(text('我叫什么？'))
  t.same(shown(llm, 2), [
    ['user', '我叫小明'], ['assistant', '第1次：我叫小明'],
    ['user', '我住在杭州'], ['assistant', '第2次：我住在杭州'],
    ['user', '我叫什么？']
  ])
  await say(text('还记得吗'))
  t.same(shown(llm, 3).slice(0, 2), [['user', '我住在杭州'], ['assistant', '第2次：我住在杭州']], 'only the last two turns')

  await say(text('你好', OTHER_FAN))
  t.same(shown(llm, 4), [['user', '你好']], 'another fan starts afresh')
  t.ok(await store.get(memoryKey(FAN)))
  t.ok(await store.get(memoryKey(OTHER_FAN)))
})

test('/reset and 清除记忆 forget the conversation; the next question comes alone', async (t) => {
  const { llm, store, say } = await setup(t, { model: numbered })
  for (const word of ['/reset', '清除记忆', ' /RESET ']) {
    await say(text('记住：我喜欢蓝色'))
    t.equal(await say(text(word)), RESET_TEXT, word)
    t.equal(await store.get(memoryKey(FAN)), null)
    await say(text('我喜欢什么颜色？'))
    t.same(shown(llm, llm.requests.length - 1), [['user', '我喜欢什么颜色？']], `${word}: nothing remembered`)
    await say(text(word))
  }
  t.equal(llm.requests.filter((r) => /reset|清除/i.test(String(lastMessage(r).content))).length, 0, 'the words never reach the model')
})

test('/reset with the store down says so', async (t) => {
  const inner = createMemoryStore()
  const store: Store = { ...inner, delete: async () => { throw new Error('down') } }
  const { say } = await setup(t, { store })
  t.equal(await say(text('/reset')), RESET_FAILED_TEXT)
})

test('the weather as a tool: "下周去成都出差，要带伞吗" is answered from the real forecast', async (t) => {
  const { llm, meteo, say } = await setup(t, { model: toolUser('get_weather', { city: '成都', day: '下周三' }) })
  t.equal(await say(text('我下周去成都出差，要带伞吗')), '根据预报：成都 下周三（12月2日）：晴，最高 17°C，最低 7°C，降水概率 5%。')
  t.same(llm.requests[0]?.body.tools?.map((tool) => tool.function.name), ['get_weather'])
  t.match(meteo.requests, [{ query: { latitude: '30.57', longitude: '104.06' } }], 'the forecast was fetched for Chengdu')
  t.same(shown(llm, 1).slice(-1), [['tool', '成都 下周三（12月2日）：晴，最高 17°C，最低 7°C，降水概率 5%。']])
})

test('no weather tool without a weather base URL; a model without tools still answers', async (t) => {
  const plain = await setup(t, { model: numbered, noWeatherTool: true })
  await plain.say(text('你好'))
  t.notOk(plain.llm.requests[0]?.body.tools)

  const noTools = await setup(t, { model: withoutTools(numbered) })
  t.equal(await noTools.say(text('下周成都会下雨吗')), '第2次：下周成都会下雨吗', 'asked again without tools')
  t.equal(await noTools.say(text('谢谢')), '第3次：谢谢')
  t.equal(noTools.llm.requests.length, 3, 'tools are not offered again at once')
})

test('the model down, slow, failing or refusing: a short apology, and nothing remembered', async (t) => {
  const down = await setup(t, { settings: { baseUrl: `${await refusedBaseUrl()}/v1` }, rules: { maxRetries: 0 } })
  t.equal(await down.say(text('你好')), apologyFor('connection'))
  t.equal(await down.store.get(memoryKey(FAN)), null)

  const slow = await setup(t, { model: script({ delayMs: 3000, then: { text: '晚了' } }), settings: { timeoutMs: 300 } })
  t.equal(await slow.say(text('你好')), apologyFor('timeout'))

  const failing = await setup(t, { model: script({ status: 500, error: { message: 'boom' } }) })
  t.equal(await failing.say(text('你好')), apologyFor('http'))
  t.match(failing.log, { calls: [{ level: 'warn', obj: { kind: 'http', status: 500 } }] })

  const refusing = await setup(t, { model: script({ text: null, refusal: 'no' }) })
  t.equal(await refusing.say(text('你好')), apologyFor('refusal'))
  t.equal(await refusing.store.get(memoryKey(FAN)), null)
})

const BUDGET = PASSIVE_TEXT_MAX_BYTES - CONTINUE_NOTICE_BYTES
const FAMILY = '👨‍👩‍👧‍👦'
/** An emoji family that would straddle the first part's end, then CJK. */
const LONG = `${'a'.repeat(BUDGET - 2)}${FAMILY}${'中'.repeat(500)}`

test('a long answer: the first part fits 2048 bytes with "继续", the rest follows on "继续"', async (t) => {
  const { llm, store, say } = await setup(t, { model: script({ text: LONG }, { text: '新的回答' }) })
  const first = await say(text('讲个长故事'))
  t.ok(utf8Bytes(first) <= PASSIVE_TEXT_MAX_BYTES, `${utf8Bytes(first)} bytes`)
  t.equal(first, `${'a'.repeat(BUDGET - 2)}${CONTINUE_NOTICE}`, 'the emoji is not cut: it starts the next part')
  t.equal(await say(text('继续')), `${FAMILY}${'中'.repeat(500)}`, 'the last part has no notice')
  t.equal(llm.requests.length, 1, '"继续" with parts held does not ask the model')
  t.equal(await say(text('继续')), '新的回答', 'nothing held: "继续" is an ordinary text')
  t.same(JSON.parse(String(await store.get(memoryKey(FAN)))).turns[0], { user: '讲个长故事', assistant: Array.from(LONG).slice(0, MAX_REMEMBERED_CHARS).join('') }, 'remembered by its start')
})

test('an answer that fits 2048 bytes is not split, and a new answer drops the rest of an old one', async (t) => {
  const fits = `${'好'.repeat(682)}ab`
  const { store, say } = await setup(t, { model: script({ text: LONG }, { text: fits }) })
  await say(text('长'))
  t.ok(await store.get(heldPartsKey(FAN)))
  t.equal(await say(text('短')), fits, 'exactly 2048 bytes: one reply, no notice')
  t.equal(await store.get(heldPartsKey(FAN)), null, 'the old rest is gone')
})

test('the overflow hook: it takes the rest, or declines, or fails; then the rest waits for "继续"', async (t) => {
  const handed: Overflow[] = []
  let answer: boolean | Error = true
  const { store, log, say } = await setup(t, {
    model: script({ text: LONG }),
    rules: { onOverflow: async (overflow) => { handed.push(overflow); if (answer instanceof Error) throw answer; return answer } }
  })
  t.equal(await say(text('长')), 'a'.repeat(BUDGET - 2), 'taken: no notice')
  t.same(handed, [{ openid: FAN, parts: [`${FAMILY}${'中'.repeat(500)}`] }])
  t.equal(await store.get(heldPartsKey(FAN)), null)

  answer = false
  t.match(await say(text('长')), /回复“继续”查看后续/)
  answer = new TypeError('queue full')
  t.match(await say(text('长')), /回复“继续”查看后续/)
  t.match(log, { calls: [{ level: 'info' }, { level: 'info' }, { level: 'warn', obj: { errorType: 'TypeError' } }] })
  t.equal(await say(text('继续')), `${FAMILY}${'中'.repeat(500)}`)
})

test('when the rest cannot be held, the first part comes without a promise', async (t) => {
  const inner = createMemoryStore()
  const store: Store = { ...inner, set: async (key, value, ttl) => { if (key.startsWith('llm-more:')) throw new Error('full'); await inner.set(key, value, ttl) } }
  const { say } = await setup(t, { model: script({ text: LONG }), store })
  t.equal(await say(text('长')), 'a'.repeat(BUDGET - 2))
})

test('the memory and the held rest expire as configured; the defaults: today\'s real date, the skill\'s own timeout', async (t) => {
  let now = 0
  const store = createMemoryStore({ now: () => now })
  const { llm, say } = await setup(t, {
    model: (request, index) => index === 0 ? { text: LONG } : { text: `第${index + 1}次：${String(lastMessage(request).content)}` },
    store,
    rules: { memoryTtlMs: 10_000, heldPartsTtlMs: 5_000, weatherTimeoutMs: 2_000, now: undefined }
  })
  await say(text('长'))
  now += 5_000
  t.equal(await say(text('继续')), '第2次：继续', 'the rest is gone after its TTL')
  t.equal(shown(llm, 1).length, 3, 'the first turn is still remembered')
  now += 10_000
  await say(text('还在吗'))
  t.same(shown(llm, 2), [['user', '还在吗']], 'and forgotten after its own')
  t.match(llm.requests[0]?.body.messages[0]?.content, new RegExp(`现在是北京时间 ${new Date(Date.now() + 8 * 3600_000).getUTCFullYear()}年`))
})
