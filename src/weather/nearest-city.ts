import { CITIES } from './cities.js'
import type { City } from './cities.js'

/**
 * Where a reported point is, in words a fan trusts: the nearest prefecture-level city, or how far
 * that city is, or no city at all.
 *
 * Coordinates may be GCJ-02 (what wx.getLocation gives in China) or WGS-84 (a browser's
 * Geolocation API): the two differ by a few hundred metres, nothing at city scale, so they are
 * compared as they come.
 */
export type NearestCity =
  /** Within FAR_KM: the point is in or at the edge of this city's own area. */
  | { kind: 'city', city: City, distanceKm: number }
  /** Farther: "距 成都市 约 N 公里", true wherever the point is. */
  | { kind: 'far', city: City, distanceKm: number }
  /** Beyond NOWHERE_KM from every city: at sea or abroad; naming any city would mislead. */
  | { kind: 'nowhere', distanceKm: number }

/*
 * The thresholds come from the table's own geometry (measured over the candidates below):
 * - The median distance from a city to its nearest neighbour is 76 km (a quarter of them are
 *   within 52 km, in the crowded east). Within 50 km a point is in or at the edge of that city's
 *   own area; beyond it, it may be in a neighbouring county with no seat in the table, so the
 *   answer says how far the city is instead of placing the fan in it.
 * - The largest nearest-neighbour gap is 阿里–和田, 513 km, and the emptiest spot inside China
 *   (around 35.9°N 87.2°E, where Xinjiang meets Tibet) is 661 km from every city. With 700 km
 *   every point in China gets a city; farther than that is at sea or abroad (the East China Sea
 *   east of 舟山, Ulaanbaatar at 799 km, Tokyo at 1186 km). Nearer foreign places (Seoul, Hanoi)
 *   get the distance to a Chinese city, which is still true. The Spratlys, 812 km from 三沙's
 *   seat on 永兴岛, count as at sea.
 */
export const FAR_KM = 50
export const NOWHERE_KM = 700

const EARTH_RADIUS_KM = 6371

/** Haversine distance on a sphere of the Earth's mean radius: within 0.5% of the ellipsoid. */
export function greatCircleKm (latA: number, lonA: number, latB: number, lonB: number): number {
  const rad = Math.PI / 180
  const dLat = (latB - latA) * rad
  const dLon = (lonB - lonA) * rad
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(latA * rad) * Math.cos(latB * rad) * Math.sin(dLon / 2) ** 2
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(Math.min(1, h)))
}

/**
 * Prefecture-level divisions, municipalities, Hong Kong, Macau, Taipei and the province-administered
 * cities (they answer to no prefecture). Seats listed under their own name share their
 * prefecture's coordinates and would only rename it; 格尔木 belongs to 海西.
 */
export const PREFECTURE_LEVEL: readonly City[] = CITIES.filter((city) => city.kind !== 'county-city')

/** A RangeError unless both are finite numbers on the globe. */
export function assertCoordinates (latitude: number, longitude: number): void {
  if (typeof latitude !== 'number' || !Number.isFinite(latitude) || latitude < -90 || latitude > 90) {
    throw new RangeError('latitude must be a number from -90 to 90')
  }
  if (typeof longitude !== 'number' || !Number.isFinite(longitude) || longitude < -180 || longitude > 180) {
    throw new RangeError('longitude must be a number from -180 to 180')
  }
}

/** The nearest prefecture-level city by great-circle distance, and how to speak of it. */
export function nearestPrefectureCity (latitude: number, longitude: number): NearestCity {
  assertCoordinates(latitude, longitude)
  let city = PREFECTURE_LEVEL[0] as City
  let distanceKm = Infinity
  for (const candidate of PREFECTURE_LEVEL) {
    const km = greatCircleKm(latitude, longitude, candidate.latitude, candidate.longitude)
    if (km < distanceKm) {
      city = candidate
      distanceKm = km
    }
  }
  if (distanceKm > NOWHERE_KM) return { kind: 'nowhere', distanceKm }
  return { kind: distanceKm > FAR_KM ? 'far' : 'city', city, distanceKm }
}
