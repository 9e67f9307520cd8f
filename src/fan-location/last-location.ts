import type { Store } from '../store/store.js'
import { storeCall } from '../store/store-call.js'
import type { KnownLocation } from '../weather/weather-skill.js'

/**
 * Who measured a fan's point: `report` is the account's own location report (the LOCATION event,
 * 上报地理位置, or a location message in the chat); `jssdk` and `browser` come from the profile
 * page (wx.getLocation inside WeChat, the Geolocation API elsewhere).
 */
export type LocationSource = 'report' | 'jssdk' | 'browser'

/**
 * The fan's last location, one record per fan and account under `loc:<openid>`: the weather rules
 * answer "天气" with it and the profile page shows it, whichever of them wrote it last.
 */
export interface LastLocation extends KnownLocation {
  source: LocationSource
  /** Epoch milliseconds; absent in records written before the time was kept. */
  reportedAt?: number
}

/** A location is personal data: kept one day from its report, then gone (and at logout). */
export const LOCATION_TTL_MS = 24 * 60 * 60 * 1000

const SOURCES: readonly string[] = ['report', 'jssdk', 'browser'] satisfies readonly LocationSource[]

export function locationKey (openid: string): string {
  return `loc:${openid}`
}

export function serializeLastLocation (location: LastLocation): string {
  return JSON.stringify(location)
}

function inRange (value: unknown, limit: number): value is number {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= limit
}

/**
 * A stored record read back, or null when it is not one. Records without a source were written
 * by the weather rules before sources were kept: the account's location report.
 */
export function parseLastLocation (raw: string | null): LastLocation | null {
  if (raw === null) return null
  let value: Record<string, unknown>
  try {
    value = JSON.parse(raw) as Record<string, unknown>
  } catch {
    return null
  }
  if (typeof value !== 'object' || value === null || !inRange(value.latitude, 90) || !inRange(value.longitude, 180)) return null
  const location: LastLocation = {
    latitude: value.latitude,
    longitude: value.longitude,
    source: typeof value.source === 'string' && SOURCES.includes(value.source) ? value.source as LocationSource : 'report'
  }
  if (typeof value.label === 'string') location.label = value.label
  if (typeof value.reportedAt === 'number' && Number.isFinite(value.reportedAt)) location.reportedAt = value.reportedAt
  return location
}

/** The fan's last location; a store failure is a StoreUnavailableError (the page answers 503). */
export async function readLastLocation (store: Store, openid: string): Promise<LastLocation | null> {
  return parseLastLocation(await storeCall('location get', async () => await store.get(locationKey(openid))))
}

export async function saveLastLocation (store: Store, openid: string, location: LastLocation, ttlMs = LOCATION_TTL_MS): Promise<void> {
  await storeCall('location set', async () => { await store.set(locationKey(openid), serializeLastLocation(location), ttlMs) })
}

export async function forgetLastLocation (store: Store, openid: string): Promise<void> {
  await storeCall('location delete', async () => { await store.delete(locationKey(openid)) })
}
