import { test } from 'tap'
import { startSandbox } from '../../sandbox/sandbox-app.js'
import type { RunningSandbox } from '../../sandbox/sandbox-app.js'
import { PRESET_PLACES } from '../../sandbox/fan-message.js'
import { jssdkSignature } from '../../src/wechat-api/jssdk-signature.js'
import { SHARED } from './wemp-server.js'

const XIAOMING = 'oSandboxFan00000000000000001'
const WANGFANG = 'oSandboxFan00000000000000002'
const PAGE = 'http://127.0.0.1:3000/profile?from=menu'

interface Teardown { teardown(fn: () => unknown): void }

async function sandbox (t: Teardown, extra: { redirectDomains?: string[] } = {}): Promise<RunningSandbox> {
  const running = await startSandbox({ ...SHARED, mode: 'plain', serverUrl: 'http://127.0.0.1:9/wechat', ...extra })
  t.teardown(() => running.close())
  return running
}

/** A jsapi_ticket as wemp gets one: an access_token, then getticket, over HTTP. */
async function jsapiTicket (base: string): Promise<string> {
  const token = await (await fetch(`${base}/cgi-bin/stable_token`, {
    method: 'POST', body: JSON.stringify({ grant_type: 'client_credential', appid: SHARED.appId, secret: SHARED.appSecret })
  })).json() as { access_token: string }
  const ticket = await (await fetch(`${base}/cgi-bin/ticket/getticket?access_token=${token.access_token}&type=jsapi`)).json() as { ticket: string }
  return ticket.ticket
}

/** The body the stand-in posts from wx.config, signed as wemp's /jssdk/config would sign `signedUrl`. */
function configBody (ticket: string, signedUrl: string, pageUrl = signedUrl): Record<string, unknown> {
  const nonceStr = 'n0nce4sandbox'
  const timestamp = 1764000000
  return { appId: SHARED.appId, timestamp, nonceStr, signature: jssdkSignature({ jsapiTicket: ticket, nonceStr, timestamp, url: signedUrl }), url: pageUrl, jsApiList: ['getLocation'] }
}

async function verify (base: string, body: unknown, contentType = 'text/plain;charset=UTF-8'): Promise<{ status: number, cors: string | null, json: Record<string, any> }> {
  const response = await fetch(`${base}/sandbox/jssdk/verify`, { method: 'POST', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body) })
  return { status: response.status, cors: response.headers.get('access-control-allow-origin'), json: await response.json() as Record<string, any> }
}

test('the stand-in SDK is served where res.wx.qq.com serves the real one', async (t) => {
  const running = await sandbox(t)
  const script = await fetch(`${running.url}/open/js/jweixin-1.6.0.js`)
  t.equal(script.status, 200)
  t.match(script.headers.get('content-type'), /^text\/javascript/)
  const source = await script.text()
  t.match(source, /window\.wx = wx/)
  t.match(source, /\/sandbox\/jssdk\/verify/)
  t.notMatch(source, /\beval\(|new Function/)
})

test('wx.config: a signature over the page URL with a valid ticket is config:ok', async (t) => {
  const running = await sandbox(t)
  const ticket = await jsapiTicket(running.url)
  const ok = await verify(running.url, configBody(ticket, PAGE))
  t.same(ok, { status: 200, cors: '*', json: { errMsg: 'config:ok' } }, 'readable from the page origin')
  t.same((await verify(running.url, configBody(ticket, PAGE), 'application/json')).json, { errMsg: 'config:ok' }, 'JSON bodies too')
  t.same((await verify(running.url, configBody(ticket, PAGE, `${PAGE}#/tab/weather`))).json, { errMsg: 'config:ok' }, 'the fragment is not signed')
  t.same((await verify(running.url, { ...configBody(ticket, PAGE), timestamp: '1764000000' })).json, { errMsg: 'config:ok' }, 'a string timestamp signs alike')
  const { jsApiList: _dropped, ...withoutList } = configBody(ticket, PAGE)
  t.same((await verify(running.url, withoutList)).json, { errMsg: 'config:ok' })
  t.equal(running.state.callCount('/sandbox/jssdk/verify'), 5)
})

test('wx.config: a wrong URL, a stale ticket or changed fields are config:invalid signature', async (t) => {
  const running = await sandbox(t)
  const ticket = await jsapiTicket(running.url)
  const invalid = { errMsg: 'config:invalid signature' }
  t.same((await verify(running.url, configBody(ticket, 'http://127.0.0.1:3000/profile', PAGE))).json, invalid, 'signed without the query')
  t.same((await verify(running.url, configBody(ticket, `${PAGE}#x`, `${PAGE}#x`))).json, { errMsg: 'config:ok' })
  t.same((await verify(running.url, configBody(ticket, PAGE, 'http://127.0.0.1:3000/landing'))).json, invalid, 'loaded on another page')
  t.same((await verify(running.url, { ...configBody(ticket, PAGE), nonceStr: 'other' })).json, invalid)
  t.same((await verify(running.url, { ...configBody(ticket, PAGE), timestamp: 1764000001 })).json, invalid)
  t.same((await verify(running.url, { ...configBody(ticket, PAGE), signature: '' })).json, invalid)
  const signed = configBody(ticket, PAGE)
  t.same((await verify(running.url, { ...signed, signature: String(signed.signature).toUpperCase() })).json, invalid, 'lowercase hex only')
  t.same((await verify(running.url, configBody('forged-ticket', PAGE))).json, invalid, 'a ticket the platform never issued')
  const second = await jsapiTicket(running.url)
  t.same((await verify(running.url, configBody(second, PAGE))).json, { errMsg: 'config:ok' }, 'a newer ticket')
  t.same((await verify(running.url, configBody(ticket, PAGE))).json, { errMsg: 'config:ok' }, 'the older one while it lasts')
  t.ok(running.state.expireToken(ticket))
  t.same((await verify(running.url, configBody(ticket, PAGE))).json, invalid, 'a stale ticket')
})

test('wx.config: an unknown appId or a page outside the JS-SDK domains is config:invalid url domain', async (t) => {
  const running = await sandbox(t, { redirectDomains: ['wemp.example.com'] })
  const ticket = await jsapiTicket(running.url)
  const domain = { errMsg: 'config:invalid url domain' }
  t.same((await verify(running.url, { ...configBody(ticket, PAGE) })).json, domain, '127.0.0.1 is not listed')
  const listed = 'https://wemp.example.com/profile'
  t.same((await verify(running.url, configBody(ticket, listed))).json, { errMsg: 'config:ok' })
  t.same((await verify(running.url, { ...configBody(ticket, listed), appId: 'wxunknown' })).json, domain)
  t.same((await verify(running.url, { ...configBody(ticket, 'not a url') })).json, domain)
})

test('wx.config: a malformed body is a 400, still readable cross-origin', async (t) => {
  const running = await sandbox(t)
  const ticket = await jsapiTicket(running.url)
  const { signature: _dropped, ...unsigned } = configBody(ticket, PAGE)
  for (const body of [unsigned, { ...configBody(ticket, PAGE), url: '' }, { ...configBody(ticket, PAGE), nonceStr: { value: 'n' } }, '{not json', '[]']) {
    const answer = await verify(running.url, body)
    t.equal(answer.status, 400, JSON.stringify(body))
    t.equal(answer.cors, '*')
  }
})

test('wx.getLocation: the place the console set for the fan holding the phone, or auth deny', async (t) => {
  const running = await sandbox(t)
  const location = async (): Promise<{ cors: string | null, json: Record<string, any> }> => {
    const response = await fetch(`${running.url}/sandbox/jssdk/location`)
    return { cors: response.headers.get('access-control-allow-origin'), json: await response.json() as Record<string, any> }
  }
  const [tiananmen, , cantonTower, shenzhen] = PRESET_PLACES
  t.same(await location(), { cors: '*', json: { errMsg: 'getLocation:ok', latitude: tiananmen.latitude, longitude: tiananmen.longitude, speed: 0, accuracy: 30 } },
    'a fan never set stands at the first preset')

  const set = async (openid: string, place: string, denied: boolean): Promise<void> => {
    const response = await fetch(`${running.url}/api/jssdk-location`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ openid, place, denied }) })
    t.equal(response.status, 200)
  }
  await set(XIAOMING, '深圳', false)
  await set(WANGFANG, '广州塔', false)
  t.equal(running.session.currentOpenid, WANGFANG, 'the fan set last holds the phone')
  t.match((await location()).json, { errMsg: 'getLocation:ok', latitude: cantonTower.latitude, longitude: cantonTower.longitude })

  // 小明 signs in on the consent page: now the phone is his.
  const consent = await fetch(`${running.url}/connect/oauth2/authorize`, {
    method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ appid: SHARED.appId, redirect_uri: 'http://127.0.0.1:3000/oauth/callback', response_type: 'code', scope: 'snsapi_userinfo', state: 's1', decision: 'allow', openid: XIAOMING }).toString()
  })
  t.equal(consent.status, 302)
  t.match((await location()).json, { errMsg: 'getLocation:ok', latitude: shenzhen.latitude, longitude: shenzhen.longitude })

  await set(XIAOMING, '深圳', true)
  t.same(await location(), { cors: '*', json: { errMsg: 'getLocation:fail auth deny' } }, 'no coordinates when refused')
})
