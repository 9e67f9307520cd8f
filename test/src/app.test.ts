import { test } from 'tap'
import { build } from '../helpers/build.js'
import { signedUrl } from '../helpers/wechat-request.js'
import { textPush } from '../fixtures/pushes.js'

test('a signed text push is echoed back as a passive reply', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'POST', url: signedUrl({ token: 'testtoken123' }), headers: { 'content-type': 'text/xml' }, payload: textPush({ content: '你好' }) })
  t.equal(res.statusCode, 200)
  t.match(res.body, /<Content><!\[CDATA\[你好\]\]><\/Content>/)
  t.match(res.body, /<ToUserName><!\[CDATA\[oFan00000000000000000000001\]\]><\/ToUserName>/)
})

test('/healthz answers 200', async (t) => {
  const app = await build(t)
  const res = await app.inject({ method: 'GET', url: '/healthz' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { status: 'ok' })
})
