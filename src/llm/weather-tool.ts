import { Type } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'
import type { WeatherSkill } from '../weather/weather-skill.js'
import type { ChatTool } from './chat-tool.js'

export const WEATHER_TOOL_NAME = 'get_weather'

/** The declaration the model reads doubles as the check of what it sends. */
const WeatherArguments = Type.Object({
  city: Type.String({ minLength: 1, maxLength: 20, description: '中国的城市名，如“成都”“北京”' }),
  day: Type.Optional(Type.String({ maxLength: 20, description: '哪一天：今天、明天、后天、周五、下周三，或日期 YYYY-MM-DD；不填为今天' }))
}, { additionalProperties: false })

const ISO_DATE = /^\d{4}-(\d{2})-(\d{2})$/

export const BAD_ARGUMENTS_TEXT = '参数无效：需要 city（中国城市名），day 可选（今天、明天、周五、下周三或 YYYY-MM-DD）。'
export const NOT_UNDERSTOOD_TEXT = '无法查询：请给出一个中国城市名和具体的一天（今天、明天、周五、下周三或 YYYY-MM-DD），一周请逐天查询。'

function parseArguments (json: string): { city: string, day?: string } | null {
  let parsed: unknown
  try {
    parsed = JSON.parse(json)
  } catch {
    return null
  }
  return Value.Check(WeatherArguments, parsed) ? parsed : null
}

/** The skill reads Chinese day words; 2026-12-03 becomes 12月3日 (its year is the next such date). */
function dayWords (day: string | undefined): string {
  const trimmed = day?.trim() ?? ''
  const iso = ISO_DATE.exec(trimmed)
  if (iso !== null) return `${Number(iso[1])}月${Number(iso[2])}日`
  return trimmed === '' ? '今天' : trimmed
}

/**
 * `get_weather(city, day)`, answered by the weather skill from the real forecast: the model gets
 * the same text a fan asking "成都下周三天气" would, and words it for the question asked.
 */
export function weatherTool (skill: WeatherSkill): ChatTool {
  return {
    definition: {
      type: 'function',
      function: {
        name: WEATHER_TOOL_NAME,
        description: '查询中国城市某一天的天气预报（今天起 16 天内）：天气、最高最低气温、降水概率。',
        parameters: JSON.parse(JSON.stringify(WeatherArguments)) as Record<string, unknown>
      }
    },
    async run (argumentsJson) {
      const args = parseArguments(argumentsJson)
      if (args === null) return BAD_ARGUMENTS_TEXT
      const answer = await skill.answer({ text: `${args.city.trim()}${dayWords(args.day)}天气` })
      return answer ?? NOT_UNDERSTOOD_TEXT
    }
  }
}
