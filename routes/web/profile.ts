import type { FastifyInstance } from 'fastify'
import type { Config } from '../../src/config.js'
import { readLastLocation } from '../../src/fan-location/last-location.js'
import { locationView } from '../../src/fan-location/location-view.js'
import { readAccountSession } from '../../src/oauth/account-session.js'
import { loginHref } from '../../src/oauth/oauth-pages.js'
import { profileView } from '../../src/oauth/web-user.js'
import { jssdkScript, loadsJssdk, profilePageScripts } from '../../src/pages/jssdk-script.js'
import { pageWeather } from './page-weather.js'
import { staticAssetUrl } from './static-assets.js'

/**
 * GET <base>/profile: the signed-in fan's page; without a session for this account, off to sign
 * in and back. The fan's last location, its city and today's weather are rendered here, so the
 * page says them without JavaScript; public/profile-location.js then locates the fan afresh.
 */
export function profileRoute (app: FastifyInstance, config: Config): void {
  const jssdk = jssdkScript(config)
  const locationScriptUrl = staticAssetUrl('profile-location.js')
  app.get('/profile', { config: { webRateLimit: 'page' } }, async (request, reply) => {
    const { account, paths } = request.web!
    const login = readAccountSession(request.session, account.settings.appId)?.login
    if (login === undefined) return await reply.redirect(loginHref(paths, paths.profile), 302)
    const last = await readLastLocation(account.store, login.user.openid)
    const location = await locationView(last, pageWeather(request, account, config.weatherApiBase), new Date())
    const withJssdk = loadsJssdk(jssdk, request.headers['user-agent'])
    return await reply.page('profile', {
      ...profileView(login, paths),
      location,
      locationPostUrl: paths.profileLocation,
      jssdkConfigUrl: paths.jssdkConfig,
      locationScriptUrl,
      jssdkUrl: withJssdk ? jssdk.url : undefined
    }, profilePageScripts(jssdk, withJssdk))
  })
}
