// A real HTTP server on 127.0.0.1 standing in for Open-Meteo: it records every request and answers
// as the test tells it (a forecast body, a status, garbage, or nothing at all).
import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RecordedRequest {
  method: string
  path: string
  query: Record<string, string>
}

export type Responder = (request: IncomingMessage, response: ServerResponse) => void

export interface FakeOpenMeteo {
  baseUrl: string
  requests: RecordedRequest[]
  respondWith(responder: Responder): void
  close(): Promise<void>
}

export interface DayRow {
  date: string
  code: number | null
  max: number | null
  min: number | null
  rain: number | null
}

/** An Open-Meteo daily body for the given rows. */
export function dailyBody (rows: readonly DayRow[]): string {
  return JSON.stringify({
    latitude: 39.9,
    longitude: 116.4,
    timezone: 'Asia/Shanghai',
    daily_units: { time: 'iso8601', weather_code: 'wmo code', temperature_2m_max: '°C', temperature_2m_min: '°C', precipitation_probability_max: '%' },
    daily: {
      time: rows.map((row) => row.date),
      weather_code: rows.map((row) => row.code),
      temperature_2m_max: rows.map((row) => row.max),
      temperature_2m_min: rows.map((row) => row.min),
      precipitation_probability_max: rows.map((row) => row.rain)
    }
  })
}

/** `count` days from 2026-11-25 (the tests' Wednesday), each with distinct, recognisable values. */
export function sixteenDays (count = 16): DayRow[] {
  return Array.from({ length: count }, (_, i) => ({
    date: new Date(Date.UTC(2026, 10, 25 + i)).toISOString().slice(0, 10),
    code: i === 1 ? 2 : i === 2 ? 61 : 0,
    max: i === 1 ? 8.2 : 10 + i,
    min: i === 1 ? -0.6 : i,
    rain: i === 1 ? 20 : i === 2 ? 85 : 5
  }))
}

export function json (body: string, status = 200): Responder {
  return (_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json' })
    response.end(body)
  }
}

export async function startFakeOpenMeteo (responder: Responder = json(dailyBody(sixteenDays()))): Promise<FakeOpenMeteo> {
  const requests: RecordedRequest[] = []
  let current = responder
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    requests.push({ method: request.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams) })
    current(request, response)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    respondWith (next) { current = next },
    async close () {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

/** A loopback port with nothing listening: connecting is refused. */
export async function refusedBaseUrl (): Promise<string> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return `http://127.0.0.1:${port}`
}
