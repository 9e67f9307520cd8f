import { test } from 'tap'
import { accountWebBase, profilePageUrl, webPaths } from '../../../src/oauth/web-paths.js'

test('an account\'s pages, at the root for `default` and under /accounts/<id> for any', async (t) => {
  t.same(webPaths(''), {
    base: '', profile: '/profile', login: '/oauth/login', callback: '/oauth/callback', logout: '/oauth/logout', signedOut: '/oauth/signed-out',
    profileLocation: '/profile/location', jssdkConfig: '/jssdk/config'
  })
  t.equal(webPaths(accountWebBase('news')).profileLocation, '/accounts/news/profile/location')
  t.equal(webPaths(accountWebBase('news')).jssdkConfig, '/accounts/news/jssdk/config')
})

test('the profile page to open, on PUBLIC_URL', async (t) => {
  t.equal(profilePageUrl('http://localhost:3000', 'default'), 'http://localhost:3000/profile')
  t.equal(profilePageUrl('https://wemp.example.com', 'news'), 'https://wemp.example.com/accounts/news/profile')
})
