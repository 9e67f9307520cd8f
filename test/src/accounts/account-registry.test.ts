import { test } from 'tap'
import type { Account } from '../../../src/accounts/account.js'
import { AccountRegistry } from '../../../src/accounts/account-registry.js'
import type { AccountSettings } from '../../../src/accounts/account-settings.js'

const settings = (id: string, token = `${id}token`): AccountSettings =>
  ({ id, token, appId: `wx${id}`, appSecret: 'secret', messageMode: 'plain', welcomeText: 'hi' })

function registry (initial: AccountSettings[]) {
  const built: string[] = []
  const accounts = new AccountRegistry((entry) => {
    if (entry.token === 'broken') throw new Error('bot factory failed')
    built.push(entry.id)
    return { id: entry.id, settings: entry } as unknown as Account
  }, initial)
  return { accounts, built }
}

test('accounts by id; replacing keeps the unchanged, rebuilds the changed, drops the removed', async (t) => {
  const { accounts, built } = registry([settings('a'), settings('b'), settings('c')])
  t.same(built, ['a', 'b', 'c'])
  const a = accounts.get('a')
  t.equal(accounts.get('zz'), undefined)
  const change = accounts.replace([settings('a'), settings('b', 'newtoken'), settings('d')])
  t.same(change, { added: ['d'], removed: ['c'], changed: ['b'] })
  t.equal(accounts.get('a'), a, 'the unchanged account is the same object')
  t.equal(accounts.get('b')?.settings.token, 'newtoken')
  t.equal(accounts.get('c'), undefined)
  t.same(accounts.list().map((account) => account.id), ['a', 'b', 'd'])
  t.same(built, ['a', 'b', 'c', 'b', 'd'])
})

test('a replacement whose account cannot be built leaves the running set as it was', async (t) => {
  const { accounts } = registry([settings('a')])
  t.throws(() => accounts.replace([settings('a'), settings('b', 'broken')]), /bot factory failed/)
  t.same(accounts.list().map((account) => account.id), ['a'])
})
