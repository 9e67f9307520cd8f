import { test } from 'tap'
import { errcodeMeaning } from '../../../src/wechat-api/errcode-meanings.js'
import { operatorHint } from '../../../src/wechat-api/wechat-api-error.js'

test('an errcode in words; 45009 and 48001 say what to do about them', async (t) => {
  t.match(errcodeMeaning(40016, 'menu/create'), /1 to 3 buttons/)
  t.match(errcodeMeaning(45015, 'message/custom/send'), /48 hours/)
  t.match(errcodeMeaning(40164, 'menu/create'), /IP whitelist/)
  t.match(errcodeMeaning(-1, 'menu/get'), /busy/)
  t.equal(errcodeMeaning(45009, 'user/get'), operatorHint(45009, 'user/get'))
  t.equal(errcodeMeaning(48001, 'tags/create'), operatorHint(48001, 'tags/create'))
})

test('an errcode without words, or none, has no meaning', async (t) => {
  t.equal(errcodeMeaning(99999, 'x'), undefined)
  t.equal(errcodeMeaning(undefined, 'x'), undefined)
})
