import { request } from 'node:http'
import { test } from 'tap'
import { runServerToExit, startServer } from '../helpers/server-process.js'
import { signedUrl } from '../helpers/wechat-request.js'
import { textPush } from '../fixtures/pushes.js'

// These run the built server (dist/, made by the test command's build step) as a real process.

test('a fresh start on development defaults says so loudly and serves the server check', async (t) => {
  const server = await startServer({})
  // SIGTERM, not SIGKILL: a process that exits normally writes its coverage.
  t.teardown(async () => { server.child.kill('SIGTERM'); await server.exited })
  t.match(server.output(), /DEVELOPMENT MODE/)
  t.match(server.output(), /WECHAT_TOKEN/)
  t.match(server.output(), /go to the local sandbox/, 'with no AppID of its own it talks to the sandbox')
  const res = await fetch(`${server.url}${signedUrl({ token: 'wempdevtoken', extra: { echostr: '8150125537' } })}`)
  t.equal(res.status, 200)
  t.equal(await res.text(), '8150125537')
})

test('production refuses to start without a required variable, naming it', async (t) => {
  const { code, output } = await runServerToExit({ NODE_ENV: 'production', WECHAT_APPID: 'wx1', WECHAT_APPSECRET: 's', SESSION_SECRET: 'x'.repeat(40) })
  t.equal(code, 1)
  t.match(output, /WECHAT_TOKEN is required when NODE_ENV=production/)
})

test('production refuses the development token', async (t) => {
  const { code, output } = await runServerToExit({
    NODE_ENV: 'production', WECHAT_TOKEN: 'wempdevtoken', WECHAT_APPID: 'wx1', WECHAT_APPSECRET: 's', SESSION_SECRET: 'x'.repeat(40)
  })
  t.equal(code, 1)
  t.match(output, /WECHAT_TOKEN must not be the development default/)
})

test('SIGTERM lets a request in flight finish, then exits 0', async (t) => {
  const server = await startServer({
    WECHAT_TOKEN: 'e2etoken123', WECHAT_APPID: 'wxe2e', WECHAT_APPSECRET: 'e2e-secret', SESSION_SECRET: 'e2e-session-secret-0123456789-abcdef'
  })
  t.teardown(() => { server.child.kill('SIGKILL') })
  const body = textPush({ content: 'in flight' })
  const { hostname, port } = new URL(server.url)
  const responded = new Promise<{ status: number, text: string }>((resolve, reject) => {
    const req = request({ hostname, port, method: 'POST', path: signedUrl({ token: 'e2etoken123' }), headers: { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = ''
      res.on('data', (c: Buffer) => { text += String(c) })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
    })
    req.on('error', reject)
    // Half the body now; the rest after the signal, so the request is in flight during shutdown.
    req.write(body.slice(0, 40))
    setTimeout(() => {
      server.child.kill('SIGTERM')
      setTimeout(() => req.end(body.slice(40)), 200)
    }, 200)
  })
  const result = await responded
  t.equal(result.status, 200)
  t.match(result.text, /in flight/)
  t.equal(await server.exited, 0)
  t.match(server.output(), /"signal":"SIGTERM"/)
  t.notMatch(server.output(), /DEVELOPMENT MODE/, 'every required variable was set')
  t.notMatch(server.output(), /local sandbox/, 'an AppID of its own: the real WeChat API')
})
