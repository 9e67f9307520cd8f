import { checkMenu } from './menu-check.js'
import type { MenuCheck } from './menu-check.js'
import type { Button, Menu } from './menu-schema.js'

/**
 * menu.json, the menu as code: menu/create's own body (`{ "button": [...] }`), checked against
 * WeChat's rules before anything is sent. A JSON error is a problem at the path `menu.json`.
 */
export function parseMenuJson (text: string): MenuCheck<Menu> {
  let value: unknown
  try {
    // Editors on Windows save UTF-8 with a byte-order mark, which JSON.parse refuses.
    value = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (error) {
    return { ok: false, problems: [{ path: 'menu.json', message: `not JSON: ${(error as Error).message}` }] }
  }
  return checkMenu(value)
}

type Json = Record<string, unknown>

/**
 * A menu as menu/get answers it, back in menu.json's shape: without the `sub_button: []` that
 * WeChat adds to every leaf, so `wemp menu show --json` gives a file `wemp menu push` takes.
 */
export function asMenuJson (buttons: readonly Button[]): Menu {
  const tidy = (button: Json): Json => {
    const { sub_button: subs, ...rest } = button
    return Array.isArray(subs) && subs.length > 0 ? { ...rest, sub_button: (subs as Json[]).map(tidy) } : rest
  }
  return { button: buttons.map((button) => tidy(button as unknown as Json)) as unknown as Button[] }
}
