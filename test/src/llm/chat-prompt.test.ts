import { test } from 'tap'
import { chatMessages, DEFAULT_SYSTEM_PROMPT, shanghaiNowText } from '../../../src/llm/chat-prompt.js'

test('today in China\'s time, whatever the machine\'s zone: late on the 25th in UTC is the 26th in Shanghai', async (t) => {
  t.equal(shanghaiNowText(new Date('2026-11-25T10:05:00+08:00')), '现在是北京时间 2026年11月25日（周三）10:05。')
  t.equal(shanghaiNowText(new Date('2026-11-25T20:30:00Z')), '现在是北京时间 2026年11月26日（周四）04:30。')
  t.equal(shanghaiNowText(new Date('2026-11-29T12:00:00+08:00')), '现在是北京时间 2026年11月29日（周日）12:00。')
})

test('the account\'s prompt (or the default) with the date, the fan\'s turns in order, then the text', async (t) => {
  const now = new Date('2026-11-25T10:00:00+08:00')
  t.same(chatMessages({ systemPrompt: '你是花店的客服。', turns: [{ user: '问1', assistant: '答1' }, { user: '问2', assistant: '答2' }], text: '问3', now }), [
    { role: 'system', content: '你是花店的客服。\n\n现在是北京时间 2026年11月25日（周三）10:00。' },
    { role: 'user', content: '问1' },
    { role: 'assistant', content: '答1' },
    { role: 'user', content: '问2' },
    { role: 'assistant', content: '答2' },
    { role: 'user', content: '问3' }
  ])
  const [system] = chatMessages({ systemPrompt: undefined, turns: [], text: 'hi', now })
  t.ok(String(system?.content).startsWith(DEFAULT_SYSTEM_PROMPT))
  t.match(DEFAULT_SYSTEM_PROMPT, /Markdown/, 'the default asks for plain text, as WeChat shows it')
})
