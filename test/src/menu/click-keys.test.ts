import { test } from 'tap'
import { clickKeys, unansweredClickKeys } from '../../../src/menu/click-keys.js'
import type { Menu } from '../../../src/menu/menu-schema.js'

const menu: Menu = {
  button: [
    { type: 'click', name: '今日歌曲', key: 'MUSIC' },
    { name: '菜单', sub_button: [
      { type: 'view', name: '搜索', url: 'https://www.soso.com/' },
      { type: 'click', name: '赞一下', key: 'LIKE' },
      { type: 'scancode_push', name: '扫码', key: 'SCAN' },
      { type: 'click', name: '再赞', key: 'LIKE' }
    ] },
    { type: 'click', name: '天气', key: 'WEATHER' }
  ]
}

test('click keys are listed with their paths, nested ones included, other types left out', async (t) => {
  t.same(clickKeys(menu), [
    { key: 'MUSIC', path: 'button[0]', name: '今日歌曲' },
    { key: 'LIKE', path: 'button[1].sub_button[1]', name: '赞一下' },
    { key: 'LIKE', path: 'button[1].sub_button[3]', name: '再赞' },
    { key: 'WEATHER', path: 'button[2]', name: '天气' }
  ])
})

test('the unanswered keys are those the predicate says no to; each key is asked once, in order', async (t) => {
  const asked: string[] = []
  const unanswered = await unansweredClickKeys(menu, async (key) => {
    asked.push(key)
    return key === 'WEATHER'
  })
  t.same(asked, ['MUSIC', 'LIKE', 'WEATHER'])
  t.same(unanswered.map((c) => c.path), ['button[0]', 'button[1].sub_button[1]', 'button[1].sub_button[3]'])
  t.same(await unansweredClickKeys(menu, async () => true), [])
})

test('a failing predicate rejects the check: a bot that cannot be asked is not "answered"', async (t) => {
  await t.rejects(unansweredClickKeys(menu, async () => { throw new Error('bot down') }), /bot down/)
})

test('a menu as menu/get answers it: a leaf with an empty sub_button is still a click button', async (t) => {
  const answered = { button: [{ type: 'click', name: '天气', key: 'WEATHER', sub_button: [] }, { name: '空', sub_button: [] }] } as unknown as Menu
  t.same(clickKeys(answered), [{ key: 'WEATHER', path: 'button[0]', name: '天气' }])
})
