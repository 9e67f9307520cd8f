import { Type, type Static } from '@sinclair/typebox'
import { checkConditionalMenu, checkMenu, describeMenuProblems } from '../menu/menu-check.js'
import type { Button, ConditionalMenu, MatchRule, Menu } from '../menu/menu-schema.js'
import { answerReader, LongId, refuse } from './answer-schema.js'
import type { CallWithToken } from './token-call.js'
import { WeChatApiError } from './wechat-api-error.js'

export const MENU_PATHS = {
  create: '/cgi-bin/menu/create',
  get: '/cgi-bin/menu/get',
  current: '/cgi-bin/get_current_selfmenu_info',
  delete: '/cgi-bin/menu/delete',
  addConditional: '/cgi-bin/menu/addconditional',
  deleteConditional: '/cgi-bin/menu/delconditional',
  tryMatch: '/cgi-bin/menu/trymatch'
} as const

// WeChat's own copy of a menu: the buttons are checked loosely, as WeChat may add fields.
const Buttons = Type.Array(Type.Object({ name: Type.String() }))
const readMenus = answerReader(Type.Object({
  menu: Type.Object({ button: Buttons, menuid: Type.Optional(Type.Integer()) }),
  conditionalmenu: Type.Optional(Type.Array(Type.Object({ button: Buttons, matchrule: Type.Object({}), menuid: Type.Integer() })))
}))
const SelfMenuButton = Type.Object({
  name: Type.String(),
  type: Type.Optional(Type.String()),
  key: Type.Optional(Type.String()),
  url: Type.Optional(Type.String()),
  value: Type.Optional(Type.String()),
  sub_button: Type.Optional(Type.Object({ list: Type.Array(Type.Object({ name: Type.String() })) }))
})
const readSelfMenu = answerReader(Type.Object({
  is_menu_open: Type.Integer(),
  selfmenu_info: Type.Optional(Type.Object({ button: Type.Array(SelfMenuButton) }))
}))
const readMenuId = answerReader(Type.Object({ menuid: LongId }))
const readMatch = answerReader(Type.Object({ button: Buttons }))

export type SelfMenuButton = Static<typeof SelfMenuButton>

export interface MenuSet {
  menu: Menu & { menuid?: number }
  conditional: Array<ConditionalMenu & { menuid: number }>
}

export interface CurrentMenu {
  /** False when the account has no menu on (neither made here nor in the MP console). */
  isOpen: boolean
  /** In get_current_selfmenu_info's own shape, which includes menus made in the MP console. */
  buttons: SelfMenuButton[]
}

export interface MenuApi {
  /** menu/create, after the menu passed checkMenu: a menu WeChat would refuse is not sent. */
  create(menu: unknown): Promise<void>
  /** menu/get: the menu made by API and its conditional menus; undefined when there is none. */
  get(): Promise<MenuSet | undefined>
  /** get_current_selfmenu_info: what fans see, however it was made. */
  current(): Promise<CurrentMenu>
  /** menu/delete: the default menu and every conditional one. */
  delete(): Promise<void>
  /** menu/addconditional, after checkConditionalMenu; resolves with the new menuid. */
  addConditional(menu: unknown): Promise<string>
  deleteConditional(menuid: string): Promise<void>
  /** menu/trymatch: the buttons a fan (openid or WeChat ID) would see. */
  tryMatch(userId: string): Promise<Button[]>
}

export function createMenuApi (callWithToken: CallWithToken): MenuApi {
  return {
    async create (menu) {
      const checked = checkMenu(menu)
      if (!checked.ok) refuse(MENU_PATHS.create, describeMenuProblems(checked.problems))
      await callWithToken(MENU_PATHS.create, { method: 'POST', body: checked.menu })
    },
    async get () {
      let json
      try {
        json = readMenus(await callWithToken(MENU_PATHS.get, { method: 'GET' }), MENU_PATHS.get)
      } catch (error) {
        // 46003: no menu was made by API. Not a failure: there is simply nothing to show.
        if (error instanceof WeChatApiError && error.errcode === 46003) return undefined
        throw error
      }
      const conditional = (json.conditionalmenu ?? []).map((entry) =>
        ({ button: entry.button as Button[], matchrule: entry.matchrule as MatchRule, menuid: entry.menuid }))
      return { menu: { ...json.menu, button: json.menu.button as Button[] }, conditional }
    },
    async current () {
      const json = readSelfMenu(await callWithToken(MENU_PATHS.current, { method: 'GET' }), MENU_PATHS.current)
      return { isOpen: json.is_menu_open === 1, buttons: json.selfmenu_info?.button ?? [] }
    },
    async delete () {
      await callWithToken(MENU_PATHS.delete, { method: 'GET' })
    },
    async addConditional (menu) {
      const checked = checkConditionalMenu(menu)
      if (!checked.ok) refuse(MENU_PATHS.addConditional, describeMenuProblems(checked.problems))
      const json = await callWithToken(MENU_PATHS.addConditional, { method: 'POST', body: checked.menu })
      return String(readMenuId(json, MENU_PATHS.addConditional).menuid)
    },
    async deleteConditional (menuid) {
      await callWithToken(MENU_PATHS.deleteConditional, { method: 'POST', body: { menuid } })
    },
    async tryMatch (userId) {
      const json = await callWithToken(MENU_PATHS.tryMatch, { method: 'POST', body: { user_id: userId } })
      return readMatch(json, MENU_PATHS.tryMatch).button as Button[]
    }
  }
}
