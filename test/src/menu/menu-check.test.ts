import { test } from 'tap'
import { checkConditionalMenu, checkMenu, describeMenuProblems } from '../../../src/menu/menu-check.js'
import type { MenuProblem } from '../../../src/menu/menu-check.js'

const click = (name: string, key = 'K'): Record<string, unknown> => ({ type: 'click', name, key })
const problemsOf = (value: unknown): MenuProblem[] => {
  const result = checkMenu(value)
  return result.ok ? [] : result.problems
}

test('a menu with every button type, each with its fields, passes and comes back typed', async (t) => {
  const menu = {
    button: [
      { name: '扫码', sub_button: [
        { type: 'scancode_push', name: '扫码推', key: 'S1' },
        { type: 'scancode_waitmsg', name: '扫码等', key: 'S2' },
        { type: 'pic_sysphoto', name: '拍照', key: 'P1' },
        { type: 'pic_photo_or_album', name: '相册', key: 'P2' },
        { type: 'pic_weixin', name: '微信相册', key: 'P3' }
      ] },
      { name: '更多', sub_button: [
        { type: 'location_select', name: '位置', key: 'L1' },
        { type: 'media_id', name: '图片', media_id: 'MEDIA' },
        { type: 'article_id', name: '文章', article_id: 'ART' },
        { type: 'article_view_limited', name: '文章2', article_id: 'ART2' },
        { type: 'miniprogram', name: '小程序', url: 'https://mp.weixin.qq.com', appid: 'wx286b93c14bbf93aa', pagepath: 'pages/lunar/index' }
      ] },
      { name: '其他', sub_button: [click('今日歌曲', 'V1001_TODAY_MUSIC'), { type: 'view', name: '搜索', url: 'http://www.soso.com/', sub_button: [] }] }
    ]
  }
  const result = checkMenu(menu)
  t.ok(result.ok)
  t.equal(result.ok && result.menu, menu)
})

test('counts: 1 to 3 buttons, up to 5 sub-buttons; one past each limit names the first extra', async (t) => {
  const three = { button: [click('a'), click('b'), click('c')] }
  t.same(problemsOf(three), [])
  t.same(problemsOf({ button: [...three.button, click('d')] }), [{ path: 'button[3]', message: 'at most 3 buttons' }])
  t.same(problemsOf({ button: [] }), [{ path: 'button', message: 'at least 1 button, at most 3' }])
  const five = Array.from({ length: 5 }, (_, i) => click(`s${i}`))
  t.same(problemsOf({ button: [click('a'), { name: 'menu', sub_button: five }] }), [])
  t.same(problemsOf({ button: [click('a'), { name: 'menu', sub_button: [...five, click('s5')] }] }),
    [{ path: 'button[1].sub_button[5]', message: 'at most 5 sub-buttons' }])
  t.equal(describeMenuProblems(problemsOf({ button: [click('a'), { name: 'menu', sub_button: [...five, click('s5')] }] })),
    'button[1].sub_button[5]: at most 5 sub-buttons')
})

test('names: 16 bytes at the top, 60 in a sub-button, counted in UTF-8', async (t) => {
  t.same(problemsOf({ button: [click('a'.repeat(16))] }), [])
  t.same(problemsOf({ button: [click('a'.repeat(17))] }), [{ path: 'button[0].name', message: '17 bytes in UTF-8; at most 16 (a Chinese character is 3)' }])
  t.same(problemsOf({ button: [click('今日歌曲好')] }), [], '5 Chinese characters are 15 bytes')
  t.same(problemsOf({ button: [click('今日歌曲好a')] }), [], '16 bytes')
  t.same(problemsOf({ button: [click('今日歌曲好听')] }), [{ path: 'button[0].name', message: '18 bytes in UTF-8; at most 16 (a Chinese character is 3)' }])
  t.same(problemsOf({ button: [click('😀😀😀😀')] }), [], 'four 4-byte emoji are 16 bytes')
  t.same(problemsOf({ button: [click('😀😀😀😀a')] }).map((p) => p.path), ['button[0].name'])
  const sub = (name: string): unknown => ({ button: [{ name: 'm', sub_button: [click(name)] }] })
  t.same(problemsOf(sub('中'.repeat(20))), [], '60 bytes in a sub-button')
  t.same(problemsOf(sub(`${'中'.repeat(20)}a`)), [{ path: 'button[0].sub_button[0].name', message: '61 bytes in UTF-8; at most 60 (a Chinese character is 3)' }])
  t.same(problemsOf({ button: [{ type: 'click', key: 'K' }, click('')] }),
    [{ path: 'button[0].name', message: 'every button needs a name' }, { path: 'button[1].name', message: 'every button needs a name' }])
})

test('key up to 128 bytes, url up to 1024 bytes', async (t) => {
  t.same(problemsOf({ button: [click('a', 'k'.repeat(128))] }), [])
  t.same(problemsOf({ button: [click('a', `${'键'.repeat(42)}kk`)] }), [], '42 × 3 + 2 = 128 bytes')
  t.same(problemsOf({ button: [click('a', 'k'.repeat(129))] }), [{ path: 'button[0].key', message: '129 bytes; at most 128' }])
  const view = (url: string): unknown => ({ button: [{ type: 'view', name: 'v', url }] })
  const base = 'https://example.com/'
  t.same(problemsOf(view(base + 'p'.repeat(1024 - base.length))), [])
  t.same(problemsOf(view(base + 'p'.repeat(1025 - base.length))), [{ path: 'button[0].url', message: '1025 bytes; at most 1024' }])
  t.same(problemsOf(view('javascript:alert(1)')), [{ path: 'button[0].url', message: 'a web address starting with http:// or https://' }])
})

test('each type needs its own fields, and takes no others', async (t) => {
  t.same(problemsOf({ button: [{ type: 'click', name: 'a' }] }), [{ path: 'button[0].key', message: 'a click button needs a non-empty key' }])
  t.same(problemsOf({ button: [{ type: 'view', name: 'a', url: '' }] }), [{ path: 'button[0].url', message: 'a view button needs a non-empty url' }])
  t.same(problemsOf({ button: [{ type: 'media_id', name: 'a', media_id: 7 }] }), [{ path: 'button[0].media_id', message: 'a media_id button needs a non-empty media_id' }])
  t.same(problemsOf({ button: [{ type: 'miniprogram', name: 'a', url: 'https://x.cn' }] }).map((p) => p.path),
    ['button[0].appid', 'button[0].pagepath'])
  t.same(problemsOf({ button: [{ type: 'click', name: 'a', key: 'K', url: 'https://x.cn', kye: 'typo' }] }), [
    { path: 'button[0].url', message: 'a click button takes no url' },
    { path: 'button[0].kye', message: 'not a menu button field' }
  ])
  t.same(problemsOf({ button: [{ type: 'view_limited', name: 'a', media_id: 'M' }] }).map((p) => p.path), ['button[0].type'])
  t.match(problemsOf({ button: [{ name: 'a' }] }), [{ path: 'button[0].type', message: /^no type: a button needs sub-buttons or a type, one of click, view, / }])
  t.match(problemsOf({ button: [{ name: 'a', type: 5 }] }), [{ message: /^unknown type 5:/ }])
})

test('structure: objects, arrays, two levels only, and parents without actions of their own', async (t) => {
  for (const value of [null, 'menu', [], {}, { button: 'x' }]) {
    t.same(problemsOf(value), [{ path: 'button', message: 'a menu is an object with a button array' }], JSON.stringify(value))
  }
  t.same(problemsOf({ button: ['x', { name: 'm', sub_button: [null] }] }), [
    { path: 'button[0]', message: 'a button is an object' },
    { path: 'button[1].sub_button[0]', message: 'a button is an object' }
  ])
  t.same(problemsOf({ button: [{ name: 'm', sub_button: {} }] }), [{ path: 'button[0].sub_button', message: 'sub_button is an array of buttons' }])
  t.same(problemsOf({ button: [{ name: 'm', sub_button: [{ name: 's', sub_button: [click('x')] }] }] }),
    [{ path: 'button[0].sub_button[0].sub_button', message: 'a sub-button cannot have sub-buttons of its own' }])
  t.same(problemsOf({ button: [{ name: 'm', type: 'click', key: 'K', sub_button: [click('x')] }] }), [
    { path: 'button[0].type', message: 'a button with sub-buttons has no action of its own' },
    { path: 'button[0].key', message: 'a button with sub-buttons has no action of its own' }
  ])
})

test('conditional menus: buttons as for menu/create, and a matchrule on tag or platform only', async (t) => {
  const button = [click('a')]
  const ok = checkConditionalMenu({ button, matchrule: { tag_id: '2', client_platform_type: '1' } })
  t.ok(ok.ok)
  t.same(ok.ok && ok.menu.matchrule, { tag_id: '2', client_platform_type: '1' })
  const problems = (value: unknown): MenuProblem[] => {
    const result = checkConditionalMenu(value)
    return result.ok ? [] : result.problems
  }
  t.same(problems({ button }), [{ path: 'matchrule', message: 'a conditional menu needs a matchrule with tag_id and/or client_platform_type' }])
  t.same(problems({ button, matchrule: {} }).map((p) => p.path), ['matchrule'])
  t.same(problems('x').map((p) => p.path), ['button', 'matchrule'])
  t.same(problems({ button, matchrule: { sex: '1', city: '广州', colour: 'red' } }), [
    { path: 'matchrule.sex', message: 'WeChat no longer matches menus on sex, region or language' },
    { path: 'matchrule.city', message: 'WeChat no longer matches menus on sex, region or language' },
    { path: 'matchrule.colour', message: 'not a matchrule field' }
  ])
  t.same(problems({ button, matchrule: { tag_id: 'abc', client_platform_type: '4' } }).map((p) => p.path),
    ['matchrule.tag_id', 'matchrule.client_platform_type'])
  t.same(problems({ button: [click('a'.repeat(17))], matchrule: { tag_id: '100' } }).map((p) => p.path), ['button[0].name'])
})
