import { clickAnswers } from '../src/menu/menu-answers.js'
import type { ClickAnswers, UnansweredKey } from '../src/menu/menu-answers.js'
import { describeMenuProblems } from '../src/menu/menu-check.js'
import type { MenuProblem } from '../src/menu/menu-check.js'
import { asMenuJson, parseMenuJson } from '../src/menu/menu-file.js'
import type { Button, LeafButton, Menu } from '../src/menu/menu-schema.js'
import type { CliAccount } from './cli-account.js'
import { readArgumentFile } from './cli-files.js'
import { EXIT } from './cli-output.js'
import type { Outcome } from './cli-output.js'
import { describeReply } from './reply-words.js'

/** `wemp menu push menu.json`: checked first, then menu/create; then which click keys no rule answers. */
export async function menuPush (account: CliAccount, file: string, cwd: string): Promise<Outcome> {
  const checked = parseMenuJson(await readArgumentFile(file, cwd, 'utf8'))
  if (!checked.ok) return refusedMenu(file, checked.problems)
  await account.api.management.menu.create(checked.menu)
  const answers = await clickAnswers([checked.menu], await account.bot())
  const text = [
    `menu pushed to ${account.settings.id}: ${countButtons(checked.menu)}`,
    ...outline(checked.menu.button),
    ...(answers.unanswered.length === 0 ? [] : ['', ...unansweredLines(answers, [''])])
  ]
  return { text: text.join('\n'), json: { pushed: true, account: account.settings.id, menu: checked.menu, ...answerJson(answers) } }
}

/** `wemp menu show`: the menu made through the API, in menu.json's shape, and its conditional menus. */
export async function menuShow (account: CliAccount): Promise<Outcome> {
  const set = await account.api.management.menu.get()
  if (set === undefined) {
    const current = await account.api.management.menu.current()
    const console = current.isOpen ? ` (a menu made in the MP console is on, with ${current.buttons.length} buttons)` : ''
    return { text: `${account.settings.id} has no menu made through the API${console}`, json: { menu: null, conditional: [], consoleMenuOn: current.isOpen } }
  }
  const menu = asMenuJson(set.menu.button)
  const conditional = set.conditional.map((entry) => ({ menuid: entry.menuid, matchrule: entry.matchrule, ...asMenuJson(entry.button) }))
  const text = [
    `menu of ${account.settings.id}${set.menu.menuid === undefined ? '' : ` (menuid ${set.menu.menuid})`}: ${countButtons(menu)}`,
    ...outline(menu.button),
    ...conditional.flatMap((entry) => ['', `conditional menu ${entry.menuid} for ${JSON.stringify(entry.matchrule)}:`, ...outline(entry.button)])
  ]
  return { text: text.join('\n'), json: { menu, menuid: set.menu.menuid ?? null, conditional, consoleMenuOn: true } }
}

/** `wemp menu delete`: the default menu and every conditional one. */
export async function menuDelete (account: CliAccount): Promise<Outcome> {
  await account.api.management.menu.delete()
  return { text: `menu of ${account.settings.id} deleted (the default menu and every conditional menu)`, json: { deleted: true, account: account.settings.id } }
}

/**
 * `wemp menu check [menu.json]`: a file's problems and click keys, or the account's menus' keys;
 * exit 1 when a key is unanswered, so CI can run it before `menu push`.
 */
export async function menuCheck (account: CliAccount, file: string | undefined, cwd: string): Promise<Outcome> {
  let menus: Menu[]
  let labels: string[]
  if (file === undefined) {
    const set = await account.api.management.menu.get()
    if (set === undefined) return { text: `${account.settings.id} has no menu made through the API: nothing to check`, json: { keys: [], answered: [], unanswered: [] } }
    // As menu/get answers, with `sub_button: []` on every leaf: back to menu.json's shape first.
    menus = [set.menu, ...set.conditional].map((entry) => asMenuJson(entry.button))
    labels = ['', ...set.conditional.map((entry) => `conditional menu ${entry.menuid}, `)]
  } else {
    const checked = parseMenuJson(await readArgumentFile(file, cwd, 'utf8'))
    if (!checked.ok) return refusedMenu(file, checked.problems)
    menus = [checked.menu]
    labels = ['']
  }
  const answers = await clickAnswers(menus, await account.bot())
  const answered = answers.keys.length - new Set(answers.unanswered.map((entry) => entry.key)).size
  const head = answers.keys.length === 0
    ? 'no click buttons: nothing for the bot to answer'
    : `${answers.keys.length} click key${answers.keys.length === 1 ? '' : 's'}, ${answered} answered by a rule of the bot`
  return {
    text: [head, ...unansweredLines(answers, labels)].join('\n'),
    json: answerJson(answers),
    exit: answers.unanswered.length === 0 ? EXIT.ok : EXIT.refused
  }
}

function refusedMenu (file: string, problems: MenuProblem[]): Outcome {
  return {
    text: `${file}: WeChat would refuse this menu:\n${describeMenuProblems(problems).replace(/^/gm, '  ')}`,
    json: { pushed: false, problems },
    exit: EXIT.refused
  }
}

function answerJson (answers: ClickAnswers): Record<string, unknown> {
  const missing = new Set(answers.unanswered.map((entry) => entry.key))
  return { keys: answers.keys, answered: answers.keys.filter((key) => !missing.has(key)), unanswered: answers.unanswered }
}

function unansweredLines (answers: ClickAnswers, labels: string[]): string[] {
  if (answers.unanswered.length === 0) return []
  return ['no rule answers these click keys:', ...answers.unanswered.map((entry) => `  ${entry.key} (${labels[entry.menu] as string}${entry.path} “${entry.name}”): ${why(entry)}`)]
}

function why (entry: UnansweredKey): string {
  switch (entry.why) {
    case 'fallback': return `only the fallback answers (${describeReply(entry.reply)})`
    case 'no-reply': return 'the bot answers nothing'
    case 'failed': return `the bot failed: ${entry.error}`
  }
}

function countButtons (menu: Menu): string {
  const subs = menu.button.reduce((sum, button) => sum + ('sub_button' in button ? button.sub_button.length : 0), 0)
  return `${menu.button.length} button${menu.button.length === 1 ? '' : 's'}${subs === 0 ? '' : `, ${subs} in sub-menus`}`
}

/** The buttons as an indented list: a parent's name, then its sub-buttons with their action. */
function outline (buttons: readonly Button[]): string[] {
  return buttons.flatMap((button) => 'sub_button' in button
    ? [`  ${button.name}`, ...button.sub_button.map((sub) => `    ${leafLine(sub)}`)]
    : [`  ${leafLine(button)}`])
}

function leafLine (button: LeafButton): string {
  const fields = button as unknown as Record<string, string | undefined>
  // Each type has one of these (menu-schema.ts), a mini program its appid and page.
  const target = button.type === 'miniprogram'
    ? `${fields.appid as string} ${fields.pagepath as string}`
    : (fields.key ?? fields.url ?? fields.media_id ?? fields.article_id) as string
  return `${button.name}  ${button.type} ${target}`
}
