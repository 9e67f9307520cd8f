import type { FastifyInstance } from 'fastify'
import type { Config } from '../../src/config.js'
import { saveLastLocation } from '../../src/fan-location/last-location.js'
import { checkLocationReport } from '../../src/fan-location/location-report.js'
import { lineForPoint } from '../../src/fan-location/location-view.js'
import { readAccountSession } from '../../src/oauth/account-session.js'
import { sameSecret } from '../../src/oauth/same-secret.js'
import { pageWeather } from './page-weather.js'

/** The page's JSON body is about 120 bytes. */
const LOCATION_BODY_LIMIT = 1024

class BodyNotJsonError extends Error {
  override name = 'BodyNotJsonError'
  readonly statusCode = 400
  constructor () { super('body: not JSON') }
}

/**
 * POST <base>/profile/location: the point public/profile-location.js measured, for the fan signed
 * in to this account. 401 without that login (another account's is no login here), 403 without
 * its CSRF token (SameSite=Lax is not trusted alone, as for logout), 400 for any other body.
 * The point becomes the fan's last location (the chat's weather answers use it too) and the
 * answer is the page's line: { line: "📍 成都市 · 今天 晴 22–31°C · 刚刚" }.
 * Coordinates are never logged: not the body, and not a JSON parser's message quoting it.
 */
export async function profileLocationRoute (app: FastifyInstance, config: Config): Promise<void> {
  await app.register(async (scope) => {
    const json = scope.getDefaultJsonParser('error', 'error')
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      json(request, body as string, (error, value) => { error === null ? done(null, value) : done(new BodyNotJsonError(), undefined) })
    })

    scope.post('/profile/location', { bodyLimit: LOCATION_BODY_LIMIT, config: { webRateLimit: 'json' } }, async (request, reply) => {
      const { account } = request.web!
      const login = readAccountSession(request.session, account.settings.appId)?.login
      if (login === undefined) return await reply.code(401).send({ error: 'not signed in' })
      const csrf = (request.body as { csrf?: unknown } | null | undefined)?.csrf
      if (typeof csrf !== 'string' || !sameSecret(login.csrfToken, csrf)) return await reply.code(403).send({ error: 'csrf token missing or wrong' })
      const checked = checkLocationReport(request.body)
      if (!checked.ok) return await reply.code(400).send({ error: checked.problem })

      const { latitude, longitude, source } = checked.report
      const now = new Date()
      await saveLastLocation(account.store, login.user.openid, { latitude, longitude, source, reportedAt: now.getTime() })
      request.log.info({ source }, 'fan location reported from the profile page')
      return { line: await lineForPoint({ latitude, longitude, reportedAt: now.getTime() }, pageWeather(request, account, config.weatherApiBase), now) }
    })
  })
}
