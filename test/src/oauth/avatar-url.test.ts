import { test } from 'tap'
import { AVATAR_HOSTS, safeAvatarUrl } from '../../../src/oauth/avatar-url.js'

test('https URLs on WeChat image hosts are kept', async (t) => {
  t.same(AVATAR_HOSTS, ['thirdwx.qlogo.cn', 'wx.qlogo.cn', 'mmbiz.qpic.cn'])
  const url = 'https://thirdwx.qlogo.cn/mmopen/vi_32/Q3auHgzwzM4/132'
  t.equal(safeAvatarUrl(url), url)
  t.equal(safeAvatarUrl('https://wx.qlogo.cn/mmopen/abc/0'), 'https://wx.qlogo.cn/mmopen/abc/0')
  t.equal(safeAvatarUrl('https://mmbiz.qpic.cn/a.png?x=1'), 'https://mmbiz.qpic.cn/a.png?x=1')
})

test('http on a WeChat host is upgraded to https', async (t) => {
  t.equal(safeAvatarUrl('http://thirdwx.qlogo.cn/mmopen/vi_32/x/132'), 'https://thirdwx.qlogo.cn/mmopen/vi_32/x/132')
})

test('anything else → undefined (the placeholder), docs/security.md H 81', async (t) => {
  const refused = [
    undefined, null, 7, '',
    'javascript:alert(1)',
    'http://evil/x.png',
    'https://evil.example/x.png',
    'https://thirdwx.qlogo.cn.evil.example/x.png',
    'https://evil.example/#@thirdwx.qlogo.cn',
    'https://user:pass@thirdwx.qlogo.cn/x',
    'https://user@thirdwx.qlogo.cn/x',
    'https://thirdwx.qlogo.cn:8443/x',
    'data:image/png;base64,AAAA',
    'ftp://thirdwx.qlogo.cn/x',
    '//thirdwx.qlogo.cn/x',
    '/relative.png',
    `https://thirdwx.qlogo.cn/${'a'.repeat(1100)}`
  ]
  for (const raw of refused) t.equal(safeAvatarUrl(raw), undefined, JSON.stringify(raw))
})

test('the result is a serialized URL: quotes and angle brackets cannot survive raw', async (t) => {
  t.equal(safeAvatarUrl('https://thirdwx.qlogo.cn/a"><script>'), 'https://thirdwx.qlogo.cn/a%22%3E%3Cscript%3E')
})
