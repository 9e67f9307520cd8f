import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler'
import type { TObject } from '@sinclair/typebox'
import { BUTTON_SCHEMAS, BUTTON_TYPES, MENU_LIMITS, MatchRuleSchema } from './menu-schema.js'
import type { ButtonType, ConditionalMenu, Menu } from './menu-schema.js'

/** One thing WeChat would refuse, at a JSON path such as `button[1].sub_button[5]`. */
export interface MenuProblem {
  path: string
  message: string
}

export type MenuCheck<T> = { ok: true, menu: T } | { ok: false, problems: MenuProblem[] }

type Json = Record<string, unknown>

const FIELD_CHECKS = new Map<string, TypeCheck<TObject>>(BUTTON_TYPES.map((type) => [type, TypeCompiler.Compile(BUTTON_SCHEMAS[type])]))
const LEAF_FIELDS = new Set(BUTTON_TYPES.flatMap((type) => Object.keys(BUTTON_SCHEMAS[type].properties)))
const BYTE_LIMITS: Array<[string, number]> = [['key', MENU_LIMITS.keyBytes], ['url', MENU_LIMITS.urlBytes]]
const checkMatchRule = TypeCompiler.Compile(MatchRuleSchema)
// Since 2022 WeChat refuses rules on these with 65320, to protect fans' privacy.
const PRIVATE_RULES = new Set(['sex', 'country', 'province', 'city', 'language'])

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value)
const bytes = (text: string): number => Buffer.byteLength(text, 'utf8')

/** Checks a menu for menu/create: every problem, each at its path, or the menu typed. */
export function checkMenu (value: unknown): MenuCheck<Menu> {
  const problems: MenuProblem[] = []
  checkButtons(value, problems)
  return problems.length === 0 ? { ok: true, menu: value as Menu } : { ok: false, problems }
}

/** Checks a conditional (个性化) menu for menu/addconditional: its buttons and its matchrule. */
export function checkConditionalMenu (value: unknown): MenuCheck<ConditionalMenu> {
  const problems: MenuProblem[] = []
  checkButtons(value, problems)
  const rule = isObject(value) ? value.matchrule : undefined
  if (!isObject(rule) || Object.keys(rule).length === 0) {
    problems.push({ path: 'matchrule', message: 'a conditional menu needs a matchrule with tag_id and/or client_platform_type' })
  } else {
    for (const field of Object.keys(rule)) {
      if (field in MatchRuleSchema.properties) continue
      const why = PRIVATE_RULES.has(field) ? 'WeChat no longer matches menus on sex, region or language' : 'not a matchrule field'
      problems.push({ path: `matchrule.${field}`, message: why })
    }
    for (const error of checkMatchRule.Errors(rule)) {
      problems.push({ path: `matchrule.${error.path.slice(1)}`, message: 'tag_id is a tag id in digits; client_platform_type is "1" (iOS), "2" (Android) or "3" (other)' })
    }
  }
  return problems.length === 0 ? { ok: true, menu: value as ConditionalMenu } : { ok: false, problems }
}

/** The problems as one line each, for an error message or a CLI. */
export function describeMenuProblems (problems: MenuProblem[]): string {
  return problems.map(({ path, message }) => `${path}: ${message}`).join('\n')
}

function checkButtons (value: unknown, problems: MenuProblem[]): void {
  const buttons = isObject(value) ? value.button : undefined
  if (!Array.isArray(buttons)) {
    problems.push({ path: 'button', message: 'a menu is an object with a button array' })
    return
  }
  if (buttons.length === 0) problems.push({ path: 'button', message: `at least 1 button, at most ${MENU_LIMITS.buttons}` })
  buttons.forEach((button, index) => {
    const path = `button[${index}]`
    if (index === MENU_LIMITS.buttons) problems.push({ path, message: `at most ${MENU_LIMITS.buttons} buttons` })
    checkButton(button, path, true, problems)
  })
}

function checkButton (button: unknown, path: string, top: boolean, problems: MenuProblem[]): void {
  if (!isObject(button)) {
    problems.push({ path, message: 'a button is an object' })
    return
  }
  checkName(button.name, `${path}.name`, top ? MENU_LIMITS.topNameBytes : MENU_LIMITS.subNameBytes, problems)
  const subs = button.sub_button
  if (subs !== undefined && !Array.isArray(subs)) {
    problems.push({ path: `${path}.sub_button`, message: 'sub_button is an array of buttons' })
    return
  }
  // menu/get answers with `sub_button: []` on every leaf: an empty list is a leaf.
  if (subs === undefined || subs.length === 0) {
    checkLeaf(button, path, problems)
    return
  }
  if (!top) {
    problems.push({ path: `${path}.sub_button`, message: 'a sub-button cannot have sub-buttons of its own' })
    return
  }
  for (const field of Object.keys(button)) {
    if (field === 'name' || field === 'sub_button') continue
    problems.push({ path: `${path}.${field}`, message: 'a button with sub-buttons has no action of its own' })
  }
  subs.forEach((sub, index) => {
    const subPath = `${path}.sub_button[${index}]`
    if (index === MENU_LIMITS.subButtons) problems.push({ path: subPath, message: `at most ${MENU_LIMITS.subButtons} sub-buttons` })
    checkButton(sub, subPath, false, problems)
  })
}

function checkName (name: unknown, path: string, limit: number, problems: MenuProblem[]): void {
  if (typeof name !== 'string' || name === '') {
    problems.push({ path, message: 'every button needs a name' })
  } else if (bytes(name) > limit) {
    problems.push({ path, message: `${bytes(name)} bytes in UTF-8; at most ${limit} (a Chinese character is 3)` })
  }
}

function checkLeaf (button: Json, path: string, problems: MenuProblem[]): void {
  const type = button.type
  const fieldCheck = typeof type === 'string' ? FIELD_CHECKS.get(type) : undefined
  if (fieldCheck === undefined) {
    const given = type === undefined ? 'no type' : `unknown type ${JSON.stringify(type)}`
    problems.push({ path: `${path}.type`, message: `${given}: a button needs sub-buttons or a type, one of ${BUTTON_TYPES.join(', ')}` })
    return
  }
  const schema = BUTTON_SCHEMAS[type as ButtonType]
  for (const field of Object.keys(button)) {
    if (field in schema.properties || field === 'sub_button') continue
    const message = LEAF_FIELDS.has(field) ? `a ${type} button takes no ${field}` : 'not a menu button field'
    problems.push({ path: `${path}.${field}`, message })
  }
  const reported = new Set<string>()
  for (const error of fieldCheck.Errors(button)) {
    const field = error.path.slice(1)
    // The name was checked with its byte limit; one message per field is enough.
    if (field === 'name' || reported.has(field)) continue
    reported.add(field)
    problems.push({ path: `${path}.${field}`, message: `a ${type} button needs a non-empty ${field}` })
  }
  for (const [field, limit] of BYTE_LIMITS) {
    const text = button[field]
    if (typeof text === 'string' && bytes(text) > limit) {
      problems.push({ path: `${path}.${field}`, message: `${bytes(text)} bytes; at most ${limit}` })
    }
  }
  if (typeof button.url === 'string' && button.url !== '' && !/^https?:\/\//i.test(button.url)) {
    problems.push({ path: `${path}.url`, message: 'a web address starting with http:// or https://' })
  }
}
