import { test } from 'tap'
import { createDefaultBot } from '../../../src/bot/default-bot.js'
import { CONTINUE_NOTICE } from '../../../src/llm/held-parts.js'
import { createMemoryStore } from '../../../src/store/memory-store.js'
import { lastMessage, startFakeLlm } from '../../helpers/fake-llm.js'
import { testConfig } from '../../helpers/config.js'
import { PUSHES } from '../../fixtures/pushes.js'
import { pushOf, recordingLogger, text } from './bot-fixtures.js'

const ACCOUNT = { id: 'default', token: 'testtoken123', appId: 'wxtestappid000001', appSecret: 's', messageMode: 'plain', welcomeText: '欢迎' } as const
const LONG = `${'前'.repeat(600)}\n${'后'.repeat(600)}`

test('without a model: weather rules, then the echo', async (t) => {
  const bot = createDefaultBot({ account: ACCOUNT, config: testConfig(), store: createMemoryStore() })
  t.same(await bot(text('你好'), { log: recordingLogger() }), { type: 'text', content: '你好' })
  t.same(await bot(pushOf(PUSHES.subscribe), { log: recordingLogger() }), { type: 'text', content: '欢迎' })
})

test('with a model: texts no rule takes go to it; the rest of a long answer to sendAfterReply, or held for 继续', async (t) => {
  const llm = await startFakeLlm((request) => ({ text: String(lastMessage(request).content) === '长' ? LONG : '模型的回答' }))
  t.teardown(() => llm.close())
  const account = { ...ACCOUNT, llm: { baseUrl: llm.baseUrl, model: 'm', timeoutMs: 5000, maxTurns: 2 } }
  const bot = createDefaultBot({ account, config: testConfig(), store: createMemoryStore() })
  t.same(await bot(text('你好'), { log: recordingLogger() }), { type: 'text', content: '模型的回答' })
  t.same(await bot(pushOf(PUSHES.image), { log: recordingLogger() }), { type: 'image', mediaId: 'media_id' }, 'the echo for the rest')

  const sent: string[][] = []
  t.same(await bot(text('长'), { log: recordingLogger(), sendAfterReply: (texts) => { sent.push([...texts]) } }), { type: 'text', content: '前'.repeat(600) })
  t.same(sent, [['后'.repeat(600)]], 'handed over to be sent after the reply')
  t.same(await bot(text('长'), { log: recordingLogger() }), { type: 'text', content: `${'前'.repeat(600)}${CONTINUE_NOTICE}` }, 'where it may not be sent, held')
  t.same(await bot(text('继续'), { log: recordingLogger() }), { type: 'text', content: '后'.repeat(600) })
})
