import type { Json } from './json.js'

export interface StoredMenu {
  /** The buttons as menu/create received them. */
  button: Json[]
  menuid: number
  at: number
}

export interface StoredConditionalMenu extends StoredMenu {
  matchrule: Json
}

/** The account's default menu and its conditional (个性化) menus, newest last. */
export interface MenuRegistry {
  current: StoredMenu | undefined
  readonly conditional: StoredConditionalMenu[]
  nextMenuId(): number
  /** menu/delete: the default menu and every conditional one go. */
  clear(): void
}

export function createMenuRegistry (): MenuRegistry {
  // WeChat's menuids are 9-digit numbers.
  let lastId = 208379532
  const registry: MenuRegistry = {
    current: undefined,
    conditional: [],
    nextMenuId: () => ++lastId,
    clear () {
      registry.current = undefined
      registry.conditional.length = 0
    }
  }
  return registry
}
