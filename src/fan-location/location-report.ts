import { Type, type Static } from '@sinclair/typebox'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import type { ValueError } from '@sinclair/typebox/errors'

/**
 * The JSON body public/profile-location.js posts to POST /profile/location. `csrf` is the
 * session's token (the logout form's field name and limit); `source` says who measured the point.
 */
export const LocationReportSchema = Type.Object({
  latitude: Type.Number({ minimum: -90, maximum: 90 }),
  longitude: Type.Number({ minimum: -180, maximum: 180 }),
  source: Type.Union([Type.Literal('jssdk'), Type.Literal('browser')]),
  csrf: Type.String({ minLength: 1, maxLength: 128 })
}, { additionalProperties: false })

export type LocationReport = Static<typeof LocationReportSchema>

const check = TypeCompiler.Compile(LocationReportSchema)

/** More decimals than 6 (0.1 m) is no device's precision: a made-up or mangled value. */
export const MAX_COORDINATE_DECIMALS = 6

/** True when `value` has at most six decimals as written in JSON (39.908823, not 39.9088231). */
export function hasAtMostSixDecimals (value: number): boolean {
  return Number(value.toFixed(MAX_COORDINATE_DECIMALS)) === value
}

export type LocationReportCheck = { ok: true, report: LocationReport } | { ok: false, problem: string }

/**
 * The body as sent, checked without coercion (a "39.9" string is not a number here, whatever a
 * framework's validator would make of it): the route answers 400 with `problem` otherwise.
 */
export function checkLocationReport (body: unknown): LocationReportCheck {
  if (!check.Check(body)) {
    // Check failed, so there is a first error; it names the field, never the value sent.
    const first = check.Errors(body).First() as ValueError
    return { ok: false, problem: `${first.path === '' ? 'body' : first.path.slice(1)}: ${first.message}` }
  }
  for (const field of ['latitude', 'longitude'] as const) {
    if (!hasAtMostSixDecimals(body[field])) return { ok: false, problem: `${field}: at most ${MAX_COORDINATE_DECIMALS} decimals` }
  }
  return { ok: true, report: body }
}
