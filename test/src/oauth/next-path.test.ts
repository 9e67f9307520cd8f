import { test } from 'tap'
import { safeNextPath as safeNextPathOr } from '../../../src/oauth/next-path.js'

const DEFAULT_NEXT_PATH = '/profile'
const safeNextPath = (raw: unknown): string => safeNextPathOr(raw, DEFAULT_NEXT_PATH)

test('local paths are kept, normalized', async (t) => {
  t.equal(safeNextPath('/profile'), '/profile')
  t.equal(safeNextPath('/orders/42?tab=paid&x=%E4%B8%AD'), '/orders/42?tab=paid&x=%E4%B8%AD', 'query and percent-encoding kept')
  t.equal(safeNextPath('/a/b/../c'), '/a/c', 'dot segments resolved')
  t.equal(safeNextPath('/'), '/')
})

test('absent or not a string → the default', async (t) => {
  t.equal(safeNextPathOr(undefined, '/accounts/news/profile'), '/accounts/news/profile', 'the fallback is the caller\'s')
  for (const raw of [undefined, null, 42, ['/a', '/b'], '']) t.equal(safeNextPath(raw), '/profile', JSON.stringify(raw))
})

test('open-redirect attempts (docs/security.md H 79) → the default', async (t) => {
  const attempts = [
    'https://evil.example',
    'https://yourdomain.evil.example/profile',
    '//evil.example',
    '//evil.example/profile',
    '/\\evil.example',
    '\\\\evil.example',
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    '%2F%2Fevil.example',
    '/%2F%2Fevil.example',
    '/%2Fevil.example',
    '/%5Cevil.example',
    '/%5C%5Cevil.example',
    '/..//evil.example',
    '/a/../..//evil.example',
    ' /profile',
    '\t//evil.example',
    '/profile\r\nSet-Cookie: x=1',
    '/%0d%0aSet-Cookie:%20x=1',
    '/%00',
    '/profile#frag',
    '/pro file',
    '/中文',
    '/%E4%B8%ZZ',
    `/${'a'.repeat(512)}`
  ]
  for (const raw of attempts) t.equal(safeNextPath(raw), DEFAULT_NEXT_PATH, JSON.stringify(raw))
})

test('paths with an /oauth segment (any account\'s) would loop through login or callback → the default', async (t) => {
  for (const raw of ['/oauth/login', '/oauth/callback?code=x&state=y', '/OAuth/login', '/oauth', '/x/../oauth/logout', '/accounts/news/oauth/login', '/accounts/news/oauth']) {
    t.equal(safeNextPath(raw), DEFAULT_NEXT_PATH, raw)
  }
  t.equal(safeNextPath('/oauthx'), '/oauthx', 'only the /oauth segment itself')
  t.equal(safeNextPath('/accounts/news/profile'), '/accounts/news/profile', 'another account\'s pages are fine')
  t.equal(safeNextPath(`/${'a'.repeat(510)}`), `/${'a'.repeat(510)}`, '511 characters are fine')
})
