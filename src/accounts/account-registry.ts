import type { Account } from './account.js'
import type { AccountSettings } from './account-settings.js'

export interface RegistryChange {
  added: string[]
  removed: string[]
  changed: string[]
}

/**
 * The accounts this server answers, by id. Replacing the set (SIGHUP) keeps an unchanged account
 * as it was, so its in-process caches and running late replies carry on.
 */
export class AccountRegistry {
  readonly #build: (settings: AccountSettings) => Account
  #accounts = new Map<string, Account>()

  constructor (build: (settings: AccountSettings) => Account, settings: readonly AccountSettings[]) {
    this.#build = build
    this.replace(settings)
  }

  get (id: string): Account | undefined {
    return this.#accounts.get(id)
  }

  list (): Account[] {
    return [...this.#accounts.values()]
  }

  /** Builds every account first: a factory that throws leaves the running set as it was. */
  replace (settings: readonly AccountSettings[]): RegistryChange {
    const next = new Map<string, Account>()
    const change: RegistryChange = { added: [], removed: [], changed: [] }
    for (const entry of settings) {
      const current = this.#accounts.get(entry.id)
      if (current !== undefined && JSON.stringify(current.settings) === JSON.stringify(entry)) {
        next.set(entry.id, current)
        continue
      }
      next.set(entry.id, this.#build(entry))
      change[current === undefined ? 'added' : 'changed'].push(entry.id)
    }
    for (const id of this.#accounts.keys()) if (!next.has(id)) change.removed.push(id)
    this.#accounts = next
    return change
  }
}
