import type { Button, LeafButton, Menu } from './menu-schema.js'

/** A `click` button: the key its CLICK event carries, where it sits, and what the fan sees. */
export interface ClickKey {
  key: string
  /** e.g. `button[2].sub_button[0]`, as menu-check names paths. */
  path: string
  name: string
}

/** Every click button of a menu, top-level and nested, in menu order. */
export function clickKeys (menu: Menu): ClickKey[] {
  const found: ClickKey[] = []
  const visit = (button: Button, path: string): void => {
    // menu/get answers every leaf with `sub_button: []`: only a non-empty list makes a parent.
    if ('sub_button' in button && button.sub_button.length > 0) {
      button.sub_button.forEach((sub, index) => { visit(sub, `${path}.sub_button[${index}]`) })
    } else if ((button as LeafButton).type === 'click') {
      const click = button as LeafButton & { key: string }
      found.push({ key: click.key, path, name: click.name })
    }
  }
  menu.button.forEach((button, index) => { visit(button, `button[${index}]`) })
  return found
}

/**
 * The click buttons no rule of the bot answers: a fan tapping one gets no reply. `isAnswered`
 * asks the bot about one key (e.g. by pushing a CLICK event to it); each distinct key is asked
 * once, one at a time, so a bot with side effects is not flooded.
 */
export async function unansweredClickKeys (menu: Menu, isAnswered: (key: string) => Promise<boolean>): Promise<ClickKey[]> {
  const verdicts = new Map<string, boolean>()
  const unanswered: ClickKey[] = []
  for (const click of clickKeys(menu)) {
    let answered = verdicts.get(click.key)
    if (answered === undefined) {
      answered = await isAnswered(click.key)
      verdicts.set(click.key, answered)
    }
    if (!answered) unanswered.push(click)
  }
  return unanswered
}
