import { test } from 'tap'
import { APP_SECRET } from '../../fixtures/platform-fixture.js'
import { EXCHANGE_PATH, FAN, USERINFO_PATH, webApp } from '../../helpers/web-app.js'
import { createBrowser } from '../../helpers/web-browser.js'
import { signIn, startLogin } from '../../helpers/wechat-login.js'
import { signedUrl } from '../../helpers/wechat-request.js'
import { PUSHES } from '../../fixtures/pushes.js'
import { dailyBody, json, sixteenDays, startFakeOpenMeteo } from '../../src/weather/fake-open-meteo.js'

test('at trace level, no log line carries a code, token, appsecret, state, session id, csrf token or openid (docs/security.md I 85)', async (t) => {
  const logLines: string[] = []
  const { app, platform } = await webApp(t, { logLines })
  const secrets = new Set<string>([APP_SECRET, FAN.openid])
  const remember = (...values: Array<string | undefined>): void => { for (const v of values) if (v !== undefined && v !== '') secrets.add(v) }

  // Happy path, profile, logout.
  const browser = createBrowser(app)
  const login = await signIn(browser, platform, { openid: FAN.openid }, 'next=/orders/9')
  remember(login.code, login.state)
  const profile = await browser.get('/profile')
  const csrf = /name="csrf" value="([^"]+)"/.exec(profile.body)?.[1]
  remember(csrf)
  for (const value of browser.cookies.values()) remember(value, decodeURIComponent(value).split('.')[0])
  await browser.get(login.callbackUrl)
  await browser.post('/oauth/logout', { csrf: csrf as string })

  // Failures: declined, malformed, foreign state, 40029 restart, upstream HTML with token-like text, userinfo timeout, snapshot.
  const other = createBrowser(app)
  const started = await startLogin(other)
  remember(started.state)
  await other.get(`/oauth/callback?state=${started.state}`)
  await other.get('/oauth/callback?code=abc&state=%3Cscript%3E')
  const bad = await startLogin(other)
  remember(bad.state)
  remember('Z9y8X7w6V5u4T3s2R1q0')
  await other.get(`/oauth/callback?code=Z9y8X7w6V5u4T3s2R1q0&state=${bad.state}`)
  const html = await startLogin(other)
  remember(html.state)
  platform.state.failNext(EXCHANGE_PATH, { html: `<html>access_token=${'T'.repeat(40)} secret=${APP_SECRET}</html>` })
  const htmlCode = platform.state.issueCode({ openid: FAN.openid, scope: 'snsapi_userinfo' })
  remember(htmlCode)
  await other.get(`/oauth/callback?code=${htmlCode}&state=${html.state}`)
  platform.state.failNext(USERINFO_PATH, { delayMs: 3500 })
  const slow = await signIn(other, platform, { openid: 'oSandboxFan00000000000000002' })
  remember(slow.code, slow.state, 'oSandboxFan00000000000000002')
  const snapshot = await signIn(createBrowser(app), platform, { openid: 'oSandboxFan00000000000000003', isSnapshotUser: true })
  remember(snapshot.code, snapshot.state, 'oSandboxFan00000000000000003')
  for (const value of other.cookies.values()) remember(value, decodeURIComponent(value).split('.')[0])

  t.ok(logLines.length > 10, `${logLines.length} log lines written`)
  t.equal(app.log.level, 'trace', 'the most verbose level was on')
  t.ok(logLines.some((line) => line.includes('code exchange failed')), 'failures were logged')
  for (const secret of secrets) {
    const hits = logLines.filter((line) => line.includes(secret))
    t.same(hits, [], `never logged: ${secret.slice(0, 4)}…`)
  }
  const tokenLike = logLines.filter((line) => /[A-Za-z0-9_-]{40,}/.test(line))
  t.same(tokenLike, [], 'no token-like run of 40+ characters (web access/refresh tokens are 86)')
  t.same(logLines.filter((line) => /\?|code=|state=|access_token|secret=/.test(line)), [], 'no query strings at all')
})

test('at trace level, no log line carries a coordinate: page reports, bad bodies, chat reports, the page render, provider failures', async (t) => {
  const logLines: string[] = []
  const weather = await startFakeOpenMeteo(json(dailyBody(sixteenDays())))
  t.teardown(() => weather.close())
  const { app, platform } = await webApp(t, { logLines, config: { weatherApiBase: weather.baseUrl } })
  const browser = createBrowser(app)
  await signIn(browser, platform, { openid: FAN.openid })
  const csrf = /data-csrf="([^"]+)"/.exec((await browser.get('/profile')).body)?.[1] as string
  const points = [[30.572815, 104.066801], [39.908823, 116.39747], [20.123457, 140.654321]] as const
  for (const [latitude, longitude] of points) {
    await browser.postJson('/profile/location', { latitude, longitude, source: 'browser', csrf })
  }
  await browser.postJson('/profile/location', { latitude: 31.2304567, longitude: 121.4737891, source: 'jssdk', csrf })
  await browser.postJson('/profile/location', '{"latitude":31.230456,"longitude":121.473789,"source":"jssdk",')
  await browser.postJson('/profile/location', { latitude: 31.230456, longitude: 121.473789, source: 'jssdk', csrf: 'wrong' })
  await createBrowser(app).postJson('/profile/location', { latitude: 31.230456, longitude: 121.473789, source: 'jssdk', csrf })
  weather.respondWith(json('{}', 500))
  await browser.postJson('/profile/location', { latitude: 22.543096, longitude: 114.057865, source: 'jssdk', csrf })
  const chat = (payload: string) => app.inject({ method: 'POST', url: signedUrl({ token: 'testtoken123' }), headers: { 'content-type': 'text/xml' }, payload: payload.replace('oFan00000000000000000000001', FAN.openid) })
  await chat(PUSHES.LOCATION)
  await browser.get('/profile')
  await chat(PUSHES.location)
  await browser.get('/profile')

  t.equal(app.log.level, 'trace')
  t.ok(logLines.some((line) => line.includes('fan location reported from the profile page')), 'the reports were logged')
  t.ok(logLines.some((line) => line.includes('weather for the profile page failed')), 'and the provider\'s failure')
  const values = ['30.572815', '104.066801', '39.908823', '116.39747', '20.123457', '140.654321', '31.2304567', '121.4737891', '31.230456', '121.473789',
    '22.543096', '114.057865', '23.137466', '113.352425', '23.134521', '113.358803']
  for (const value of values) t.same(logLines.filter((line) => line.includes(value)), [], `never logged: ${value}`)
  t.same(logLines.filter((line) => /latitude|longitude|Location_[XY]|\d+\.\d+,\s*\d+\.\d+/i.test(line)), [], 'no coordinate field, no "lat,lon" pair (the forecast cache key has one)')
})
