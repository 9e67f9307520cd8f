import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions'
import { WEEKDAY_NAMES } from '../weather/day-parse.js'
import type { Turn } from './fan-memory.js'

/** WeChat shows plain text: Markdown would arrive as asterisks and pipes. */
export const DEFAULT_SYSTEM_PROMPT = '你是一个微信公众号里的助手。请用简体中文回答，简洁、友好、适合在手机上阅读。' +
  '微信不显示 Markdown：不要用标题、表格、加粗或代码块，需要分点时用“1. 2. 3.”。'

const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000

/** The model knows no date of its own: "下周三" and tool days need today's, in China's time. */
export function shanghaiNowText (now: Date): string {
  const t = new Date(now.getTime() + SHANGHAI_OFFSET_MS)
  const weekday = WEEKDAY_NAMES[(t.getUTCDay() + 6) % 7] as string
  const time = `${String(t.getUTCHours()).padStart(2, '0')}:${String(t.getUTCMinutes()).padStart(2, '0')}`
  return `现在是北京时间 ${t.getUTCFullYear()}年${t.getUTCMonth() + 1}月${t.getUTCDate()}日（${weekday}）${time}。`
}

export interface PromptInput {
  systemPrompt: string | undefined
  turns: readonly Turn[]
  text: string
  now: Date
}

/** The messages for one answer: the account's instructions and the date, the fan's own turns, the text. */
export function chatMessages ({ systemPrompt, turns, text, now }: PromptInput): ChatCompletionMessageParam[] {
  return [
    { role: 'system', content: `${systemPrompt ?? DEFAULT_SYSTEM_PROMPT}\n\n${shanghaiNowText(now)}` },
    ...turns.flatMap((turn): ChatCompletionMessageParam[] => [
      { role: 'user', content: turn.user },
      { role: 'assistant', content: turn.assistant }
    ]),
    { role: 'user', content: text }
  ]
}
