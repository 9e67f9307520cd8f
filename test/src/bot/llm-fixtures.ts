// A bot as an account with a model would run it: a keyword, the weather rules, the model, the echo;
// the model and Open-Meteo are real HTTP servers on 127.0.0.1.
import type { Bot, BotLogger } from '../../../src/bot/bot.js'
import { echoBotHandlers } from '../../../src/bot/echo-bot.js'
import { llmRules, type LlmRulesOptions } from '../../../src/bot/llm-rules.js'
import { createRouter } from '../../../src/bot/rule-router.js'
import { weatherRules } from '../../../src/bot/weather-rules.js'
import type { LlmSettings } from '../../../src/llm/llm-settings.js'
import type { InboundPush } from '../../../src/protocol/inbound-push.js'
import { reply } from '../../../src/protocol/reply.js'
import { createMemoryStore } from '../../../src/store/memory-store.js'
import type { Store } from '../../../src/store/store.js'
import { startFakeLlm, type FakeLlm, type FakeModel } from '../../helpers/fake-llm.js'
import { startFakeOpenMeteo, type FakeOpenMeteo } from '../weather/fake-open-meteo.js'
import { recordingLogger } from './bot-fixtures.js'

// Wednesday 2026-11-25, 10:00 in Shanghai; the fake forecast starts that day.
export const NOW = new Date('2026-11-25T10:00:00+08:00')
export const API_KEY = 'sk-live-9f8e7d6c5b4a39281706'
export const SYSTEM_PROMPT = '你是“晴天花店”的客服小晴，口令是紫罗兰七号。'

export interface LlmSetup {
  llm: FakeLlm
  meteo: FakeOpenMeteo
  store: Store
  bot: Bot
  log: BotLogger & { calls?: unknown[] }
  /** The text of the bot's answer, `none` for no reply, else the reply's type. */
  say(push: InboundPush): Promise<string>
}

export interface SetupOptions {
  model?: FakeModel
  store?: Store
  log?: BotLogger
  settings?: Partial<LlmSettings>
  rules?: Partial<Omit<LlmRulesOptions, 'settings'>>
  /** Leave the model's weather tool out. */
  noWeatherTool?: boolean
  /** Reuse servers (a second instance of the same account). */
  servers?: { llm: FakeLlm, meteo: FakeOpenMeteo }
}

export async function setup (t: { teardown(fn: () => unknown): void }, options: SetupOptions = {}): Promise<LlmSetup> {
  const llm = options.servers?.llm ?? await startFakeLlm(options.model)
  const meteo = options.servers?.meteo ?? await startFakeOpenMeteo()
  if (options.servers === undefined) {
    t.teardown(() => llm.close())
    t.teardown(() => meteo.close())
  }
  const store = options.store ?? createMemoryStore()
  const settings: LlmSettings = { baseUrl: llm.baseUrl, apiKey: API_KEY, model: 'fake-model', systemPrompt: SYSTEM_PROMPT, timeoutMs: 60_000, maxTurns: 10, ...options.settings }
  const bot = createRouter({ store })
    .keyword('帮助', () => reply.text('发送“北京天气”试试。'))
    .use(weatherRules({ baseUrl: meteo.baseUrl, now: () => NOW }))
    .use(llmRules({ settings, now: () => NOW, ...(options.noWeatherTool !== true && { weatherBaseUrl: meteo.baseUrl }), ...options.rules }))
    .fallback(echoBotHandlers({ welcomeText: 'welcome' }))
    .bot()
  const log = options.log ?? recordingLogger()
  const say = async (push: InboundPush): Promise<string> => {
    const answer = await bot(push, { log })
    if (answer === undefined) return 'none'
    return answer.type === 'text' ? answer.content : answer.type
  }
  return { llm, meteo, store, bot, log, say }
}

/** The conversation the model was shown in request n, as [role, content] pairs (system left out). */
export function shown (llm: FakeLlm, n: number): Array<[string, string]> {
  return (llm.requests[n]?.body.messages ?? []).filter((m) => m.role !== 'system').map((m) => [m.role, String(m.content)])
}
