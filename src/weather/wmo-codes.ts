/**
 * WMO weather interpretation codes (WW), the subset Open-Meteo reports as `weather_code`, in the
 * words a Chinese forecast uses (45/48 fog and rime fog are both 雾; 51–55 drizzle of any
 * density is 毛毛雨). Showers (80–82) are 阵雨 graded like rain; 86 is a heavy snow
 * shower; 96/99 are thunderstorms with (slight/heavy) hail.
 */
const WORDS: Readonly<Record<number, string>> = {
  0: '晴',
  1: '晴间多云',
  2: '多云',
  3: '阴',
  45: '雾',
  48: '雾',
  51: '毛毛雨',
  53: '毛毛雨',
  55: '毛毛雨',
  56: '冻毛毛雨',
  57: '冻毛毛雨',
  61: '小雨',
  63: '中雨',
  65: '大雨',
  66: '冻雨',
  67: '冻雨',
  71: '小雪',
  73: '中雪',
  75: '大雪',
  77: '米雪',
  80: '小阵雨',
  81: '阵雨',
  82: '强阵雨',
  85: '阵雪',
  86: '强阵雪',
  95: '雷阵雨',
  96: '雷阵雨伴有冰雹',
  99: '雷阵雨伴有冰雹'
}

export const UNKNOWN_WEATHER = '未知天气'

export function weatherWords (code: number): string {
  return WORDS[code] ?? UNKNOWN_WEATHER
}

/** Liquid from the sky: drizzle, rain, freezing rain, showers, thunderstorms. */
export function isRainCode (code: number): boolean {
  return (code >= 51 && code <= 67) || (code >= 80 && code <= 82) || (code >= 95 && code <= 99)
}

export function isSnowCode (code: number): boolean {
  return (code >= 71 && code <= 77) || code === 85 || code === 86
}
