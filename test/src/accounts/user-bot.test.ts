import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'tap'
import { loadUserBot } from '../../../src/accounts/user-bot.js'

const dir = mkdtempSync(join(tmpdir(), 'wemp-bot-'))
writeFileSync(join(dir, 'one.mjs'), 'export default () => async () => undefined\n')
writeFileSync(join(dir, 'map.mjs'), 'export default { news: () => async () => undefined }\n')
writeFileSync(join(dir, 'bad.mjs'), 'export default 42\n')
writeFileSync(join(dir, 'badmap.mjs'), 'export default { news: 1 }\n')

test('WEMP_BOT unset: no user bot', async (t) => {
  t.equal(await loadUserBot(undefined, dir), undefined)
  t.equal(await loadUserBot('', dir), undefined)
})

test('a module whose default export builds the bot, relative to the working directory or absolute', async (t) => {
  t.type(await loadUserBot('./one.mjs', dir), 'function')
  t.type(await loadUserBot(join(dir, 'one.mjs'), '/'), 'function')
  const map = await loadUserBot('./map.mjs', dir) as Record<string, unknown>
  t.same(Object.keys(map), ['news'], 'or a map by account id')
})

test('a module that is missing or exports something else is a configuration error', async (t) => {
  await t.rejects(loadUserBot('./missing.mjs', dir), { name: 'ConfigError', message: /^WEMP_BOT cannot be loaded from .*missing\.mjs \(/ })
  await t.rejects(loadUserBot('./bad.mjs', dir), { name: 'ConfigError', message: /WEMP_BOT must export by default a function/ })
  await t.rejects(loadUserBot('./badmap.mjs', dir), { name: 'ConfigError' })
})
