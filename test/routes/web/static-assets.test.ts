import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { test } from 'tap'
import { findProjectRoot } from '../../../src/project-root.js'
import { build } from '../../helpers/build.js'

test('/static/profile-location.js: the file as written, JavaScript, no sniffing, cached a year under its content hash', async (t) => {
  const app = await build(t)
  const file = await readFile(join(findProjectRoot(), 'public', 'profile-location.js'))
  const hash = createHash('sha256').update(file).digest('hex').slice(0, 16)
  const res = await app.inject({ method: 'GET', url: `/static/profile-location.js?v=${hash}` })
  t.equal(res.statusCode, 200)
  t.equal(res.body, file.toString('utf8'))
  t.match(res.headers['content-type'], /^(text|application)\/javascript; charset=utf-8$/)
  t.equal(res.headers['x-content-type-options'], 'nosniff')
  t.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable', 'not the pages\' no-store')
  t.equal(res.headers['referrer-policy'], 'no-referrer')
  t.equal((await app.inject({ method: 'HEAD', url: '/static/profile-location.js' })).statusCode, 200)
})

test('nothing else is served from there', async (t) => {
  const app = await build(t)
  for (const url of ['/static/', '/static', '/static/nope.js', '/static/../package.json', '/static/%2e%2e/package.json', '/static/..%2fpackage.json', '/static/.gitignore']) {
    const res = await app.inject({ method: 'GET', url })
    t.equal(res.statusCode, 404, url)
    t.notMatch(res.body, /"name": "wemp"/, url)
  }
  t.equal((await app.inject({ method: 'POST', url: '/static/profile-location.js' })).statusCode, 404, 'GET and HEAD only')
})
