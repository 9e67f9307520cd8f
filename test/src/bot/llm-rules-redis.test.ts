import { setTimeout as sleep } from 'node:timers/promises'
import { test } from 'tap'
import { Redis } from 'ioredis'
import { DEFAULT_MEMORY_TTL_MS, memoryKey } from '../../../src/llm/fan-memory.js'
import { createRedisStore, type RedisStore } from '../../../src/store/redis-store.js'
import { lastMessage, startFakeLlm, type FakeModel } from '../../helpers/fake-llm.js'
import { deleteKeysWithPrefix, redisUrlOrSkip, uniqueKeyPrefix } from '../../helpers/redis.js'
import { startFakeOpenMeteo } from '../weather/fake-open-meteo.js'
import { FAN, text } from './bot-fixtures.js'
import { setup, shown } from './llm-fixtures.js'

const numbered: FakeModel = (request, index) => ({ text: `第${index + 1}次：${String(lastMessage(request).content)}` })

async function connected (store: RedisStore): Promise<RedisStore> {
  const deadline = Date.now() + 2000
  while (!await store.ping()) {
    if (Date.now() > deadline) throw new Error('Redis store never became ready')
    await sleep(50)
  }
  return store
}

test('two instances on one Redis: the conversation follows the fan; another account\'s never shows', async (t) => {
  const url = await redisUrlOrSkip(t)
  if (url === undefined) return
  const account = uniqueKeyPrefix('llm-account')
  const otherAccount = uniqueKeyPrefix('llm-other-account')
  const stores = [account, account, otherAccount].map((keyPrefix) => createRedisStore({ url, keyPrefix }))
  const raw = new Redis(url)
  t.teardown(async () => {
    for (const store of stores) await store.close()
    for (const prefix of [account, otherAccount]) await deleteKeysWithPrefix(url, prefix)
    raw.disconnect()
  })
  for (const store of stores) await connected(store)
  const llm = await startFakeLlm(numbered)
  const meteo = await startFakeOpenMeteo()
  t.teardown(() => llm.close())
  t.teardown(() => meteo.close())
  const [one, two, other] = await Promise.all(stores.map(async (store) => await setup(t, { store, servers: { llm, meteo } })))
  if (one === undefined || two === undefined || other === undefined) throw new Error('three instances expected')

  await one.say(text('我叫小明'))
  await two.say(text('我叫什么？'))
  t.same(shown(llm, 1), [['user', '我叫小明'], ['assistant', '第1次：我叫小明'], ['user', '我叫什么？']], 'instance two knows what instance one heard')
  await one.say(text('还有呢'))
  t.equal(shown(llm, 2).length, 5, 'and back again')

  await other.say(text('我叫什么？'))
  t.same(shown(llm, 3), [['user', '我叫什么？']], 'the same openid at another account starts afresh')

  const ttl = await raw.pttl(`${account}${memoryKey(FAN)}`)
  t.ok(ttl > DEFAULT_MEMORY_TTL_MS - 60_000 && ttl <= DEFAULT_MEMORY_TTL_MS, `a day's TTL (${ttl} ms)`)
  t.same(JSON.parse(String(await raw.get(`${account}${memoryKey(FAN)}`))).turns.length, 3, 'JSON in the store')

  await two.say(text('/reset'))
  await one.say(text('我叫什么？'))
  t.same(shown(llm, 4), [['user', '我叫什么？']], '/reset on one instance is seen by the other')
})
