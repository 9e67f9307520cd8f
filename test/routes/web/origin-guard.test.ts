import { connect } from 'node:net'
import { test } from 'tap'
import { build } from '../../helpers/build.js'
import { FAN, webApp } from '../../helpers/web-app.js'
import { createBrowser } from '../../helpers/web-browser.js'
import { signIn } from '../../helpers/wechat-login.js'

const PUBLIC_URL = 'http://localhost:3000'

test('a GET on another origin than PUBLIC_URL\'s: 302 to the same path and query there, before any session or state', async (t) => {
  const { app } = await webApp(t, { config: { publicUrl: PUBLIC_URL } })
  const paths = ['/profile', '/profile?from=menu&x=%E4%BD%A0', '/oauth/login?scope=snsapi_base&next=/orders/1', '/oauth/callback?code=abc&state=S',
    '/accounts/news/profile', '/jssdk/config?url=x', '/oauth/signed-out']
  for (const path of paths) {
    const res = await app.inject({ method: 'GET', url: path, headers: { host: '127.0.0.1:3000' } })
    t.equal(res.statusCode, 302, path)
    t.equal(res.headers.location, `${PUBLIC_URL}${path}`, path)
    t.equal(res.headers['set-cookie'], undefined, `${path}: no session made`)
    t.equal(res.headers['referrer-policy'], 'no-referrer', `${path}: the callback's code and state leak no further`)
  }
  const head = await app.inject({ method: 'HEAD', url: '/profile', headers: { host: '127.0.0.1:3000' } })
  t.equal(head.statusCode, 302)
  t.equal(head.headers.location, `${PUBLIC_URL}/profile`)
  for (const host of ['localhost:3001', 'localhost', 'evil.example', '', 'not a host', '[::1']) {
    const res = await app.inject({ method: 'GET', url: '/profile', headers: { host } })
    t.equal(res.headers.location, `${PUBLIC_URL}/profile`, `Host: ${host}`)
  }
})

test('on PUBLIC_URL\'s origin, however spelled, the pages answer as ever', async (t) => {
  const { app } = await webApp(t, { config: { publicUrl: PUBLIC_URL } })
  for (const host of ['localhost:3000', 'LOCALHOST:3000']) {
    const res = await app.inject({ method: 'GET', url: '/profile', headers: { host } })
    t.equal(res.headers.location, '/oauth/login?next=/profile', host)
  }
  const https = await build(t, { config: { publicUrl: 'https://wemp.example.com' } })
  const proxied = await https.inject({ method: 'GET', url: '/profile', headers: { host: 'wemp.example.com:443', 'x-forwarded-proto': 'https' } })
  t.equal(proxied.headers.location, '/oauth/login?next=/profile', 'the default port is the same origin')
  const plain = await https.inject({ method: 'GET', url: '/profile', headers: { host: 'wemp.example.com' } })
  t.equal(plain.headers.location, 'https://wemp.example.com/profile', 'http while PUBLIC_URL is https: to https')
  const forwarded = await https.inject({ method: 'GET', url: '/profile', headers: { host: '10.0.0.5:3000', 'x-forwarded-host': 'wemp.example.com', 'x-forwarded-proto': 'https' } })
  t.equal(forwarded.headers.location, '/oauth/login?next=/profile', 'behind a trusted proxy, its X-Forwarded-Host and -Proto')
  const untrusted = await build(t, { config: { publicUrl: 'https://wemp.example.com', trustProxy: 'false' } })
  const spoofed = await untrusted.inject({ method: 'GET', url: '/profile', headers: { host: 'evil.example', 'x-forwarded-host': 'wemp.example.com', 'x-forwarded-proto': 'https' } })
  t.equal(spoofed.headers.location, 'https://wemp.example.com/profile', 'an untrusted client\'s X-Forwarded-* count for nothing')
})

test('anything but GET on another origin is refused (421): a redirect would lose the body or the method', async (t) => {
  const { app, platform } = await webApp(t, { config: { publicUrl: PUBLIC_URL } })
  const browser = createBrowser(app, { host: 'localhost:3000' })
  await signIn(browser, platform, { openid: FAN.openid })
  const csrf = /data-csrf="([^"]+)"/.exec((await browser.get('/profile')).body)?.[1] as string
  const logout = await browser.post('/oauth/logout', { csrf }, { host: '127.0.0.1:3000' })
  t.equal(logout.statusCode, 421)
  t.equal(logout.body, `use ${PUBLIC_URL}`)
  const location = await browser.postJson('/profile/location', { latitude: 30.5, longitude: 104, source: 'browser', csrf }, { host: '127.0.0.1:3000' })
  t.equal(location.statusCode, 421)
  t.equal((await browser.get('/profile')).statusCode, 200, 'still signed in')
})

test('only the web pages: /wechat, /healthz and unknown paths are not redirected', async (t) => {
  const app = await build(t, { config: { publicUrl: PUBLIC_URL } })
  t.equal((await app.inject({ method: 'GET', url: '/healthz', headers: { host: '127.0.0.1:3000' } })).statusCode, 200)
  t.equal((await app.inject({ method: 'GET', url: '/nowhere', headers: { host: '127.0.0.1:3000' } })).statusCode, 404)
  t.equal((await app.inject({ method: 'GET', url: '/wechat', headers: { host: '127.0.0.1:3000' } })).statusCode, 400, 'an unsigned verify, answered by /wechat itself')
})

test('an absolute-form request target (as sent to a proxy) is sent to PUBLIC_URL\'s root, never to the host it names', async (t) => {
  const app = await build(t, { config: { publicUrl: PUBLIC_URL } })
  const address = new URL(await app.listen({ host: '127.0.0.1', port: 0 }))
  const head = await new Promise<string>((resolve, reject) => {
    const socket = connect(Number(address.port), '127.0.0.1', () => {
      socket.end('GET http://evil.example/profile HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n')
    })
    let received = ''
    socket.on('data', (chunk: Buffer) => { received += String(chunk) })
    socket.on('end', () => { resolve(received) })
    socket.on('error', reject)
  })
  t.match(head, /^HTTP\/1\.1 302 /)
  t.match(head, `\r\nlocation: ${PUBLIC_URL}/\r\n`)
})
