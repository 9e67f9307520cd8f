import { test } from 'tap'
import { asMenuJson, parseMenuJson } from '../../../src/menu/menu-file.js'
import type { Button } from '../../../src/menu/menu-schema.js'

test('menu.json is menu/create\'s body, checked against WeChat\'s rules', async (t) => {
  const text = JSON.stringify({ button: [{ type: 'click', name: '天气', key: 'WEATHER' }] })
  t.same(parseMenuJson(text), { ok: true, menu: { button: [{ type: 'click', name: '天气', key: 'WEATHER' }] } })
  t.same(parseMenuJson(`\uFEFF${text}`), parseMenuJson(text), 'a byte-order mark is not an error')
  t.same(parseMenuJson('{"button": []}'), { ok: false, problems: [{ path: 'button', message: 'at least 1 button, at most 3' }] })
})

test('a file that is not JSON is one problem, at the file', async (t) => {
  const checked = parseMenuJson('{ "button": [ }')
  t.match(checked, { ok: false, problems: [{ path: 'menu.json', message: /^not JSON: / }] })
})

test('menu/get\'s answer back in menu.json\'s shape: no empty sub_button on the leaves', async (t) => {
  const answered = [
    { type: 'click', name: '天气', key: 'WEATHER', sub_button: [] },
    { name: '更多', sub_button: [{ type: 'view', name: '官网', url: 'https://example.com/', sub_button: [] }] }
  ] as unknown as Button[]
  t.same(asMenuJson(answered), { button: [
    { type: 'click', name: '天气', key: 'WEATHER' },
    { name: '更多', sub_button: [{ type: 'view', name: '官网', url: 'https://example.com/' }] }
  ] })
  t.same(parseMenuJson(JSON.stringify(asMenuJson(answered))).ok, true, 'and such a file passes the checks')
})
