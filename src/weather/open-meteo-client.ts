/**
 * The Open-Meteo daily forecast (no API key): GET {base}/v1/forecast for one point, daily values in
 * Asia/Shanghai days, the first day being today there.
 */

export interface DailyForecast {
  /** YYYY-MM-DD, a calendar day in Asia/Shanghai. */
  date: string
  weatherCode: number
  /** °C */
  tMax: number
  /** °C */
  tMin: number
  /** Percent; null where the model has none (Open-Meteo leaves far days blank). */
  precipitationProbabilityMax: number | null
}

export interface ForecastRequest {
  /** e.g. https://api.open-meteo.com (WEATHER_API_BASE); a trailing slash is fine. */
  baseUrl: string
  latitude: number
  longitude: number
  /** Days from today, 1…16 (Open-Meteo's maximum); outside values are clamped. */
  days: number
  /** Covers connecting, headers and body alike. */
  timeoutMs?: number
}

export const OPEN_METEO_MAX_DAYS = 16
export const DEFAULT_FORECAST_TIMEOUT_MS = 8000

export type ForecastErrorReason = 'timeout' | 'network' | 'http' | 'bad-json' | 'bad-shape'

/** Why the provider gave no forecast; `status` is set for 'http'. */
export class ForecastError extends Error {
  readonly reason: ForecastErrorReason
  readonly status: number | undefined

  constructor (reason: ForecastErrorReason, message: string, options: { status?: number, cause?: unknown } = {}) {
    super(message, { cause: options.cause })
    this.name = 'ForecastError'
    this.reason = reason
    this.status = options.status
  }
}

const DAILY_FIELDS = ['weather_code', 'temperature_2m_max', 'temperature_2m_min', 'precipitation_probability_max'] as const

export function forecastUrl (request: ForecastRequest): URL {
  const days = Math.min(OPEN_METEO_MAX_DAYS, Math.max(1, Math.ceil(request.days)))
  const url = new URL(`${request.baseUrl.replace(/\/+$/, '')}/v1/forecast`)
  url.searchParams.set('latitude', String(request.latitude))
  url.searchParams.set('longitude', String(request.longitude))
  url.searchParams.set('daily', DAILY_FIELDS.join(','))
  url.searchParams.set('timezone', 'Asia/Shanghai')
  url.searchParams.set('forecast_days', String(days))
  return url
}

export async function fetchDailyForecast (request: ForecastRequest): Promise<DailyForecast[]> {
  const timeoutMs = request.timeoutMs ?? DEFAULT_FORECAST_TIMEOUT_MS
  const signal = AbortSignal.timeout(timeoutMs)
  let body: string
  let status: number
  try {
    const response = await fetch(forecastUrl(request), { signal, headers: { accept: 'application/json' } })
    status = response.status
    body = await response.text()
  } catch (error) {
    if (signal.aborted) throw new ForecastError('timeout', `forecast timed out after ${timeoutMs} ms`, { cause: error })
    throw new ForecastError('network', 'forecast provider unreachable', { cause: error })
  }
  if (status < 200 || status >= 300) {
    throw new ForecastError('http', `forecast provider answered HTTP ${status}`, { status })
  }
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch (error) {
    throw new ForecastError('bad-json', 'forecast provider sent invalid JSON', { cause: error })
  }
  return readDaily(json)
}

function isNumberOrNull (value: unknown): value is number | null {
  return value === null || (typeof value === 'number' && Number.isFinite(value))
}

/**
 * Checks the shape field by field. A day whose code or temperatures are null (the far end of the
 * range can be blank) is dropped, so the caller sees a shorter range rather than a made-up day.
 */
function readDaily (json: unknown): DailyForecast[] {
  const daily = (json as { daily?: Record<string, unknown> } | null)?.daily
  if (typeof daily !== 'object' || daily === null) throw new ForecastError('bad-shape', 'forecast has no daily block')
  const time = daily['time']
  if (!Array.isArray(time) || !time.every((date) => typeof date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(date))) {
    throw new ForecastError('bad-shape', 'forecast daily.time is missing or malformed')
  }
  const columns = DAILY_FIELDS.map((field) => {
    const column = daily[field]
    if (!Array.isArray(column) || column.length !== time.length || !column.every(isNumberOrNull)) {
      throw new ForecastError('bad-shape', `forecast daily.${field} is missing or malformed`)
    }
    return column as Array<number | null>
  })
  const [codes, maxima, minima, rainChances] = columns as [Array<number | null>, Array<number | null>, Array<number | null>, Array<number | null>]
  const days: DailyForecast[] = []
  time.forEach((date: string, i) => {
    const weatherCode = codes[i]
    const tMax = maxima[i]
    const tMin = minima[i]
    if (weatherCode == null || tMax == null || tMin == null) return
    days.push({ date, weatherCode, tMax, tMin, precipitationProbabilityMax: rainChances[i] ?? null })
  })
  return days
}
