import type { FastifyInstance } from 'fastify'
import { OK, apiRoute, fail } from './api-route.js'
import type { Json } from './json.js'
import { matchRuleError, menuError } from './menu-rules.js'
import type { StoredMenu } from './menu-registry.js'
import type { PlatformState } from './platform-state.js'
import { ERR } from './wechat-errors.js'

// menu/get answers every leaf with an empty sub_button list, as WeChat does.
function asAnswered (button: Json): Json {
  const subs = Array.isArray(button.sub_button) ? button.sub_button as Json[] : []
  return { ...button, sub_button: subs.map(asAnswered) }
}

// get_current_selfmenu_info nests sub-buttons one level deeper: `sub_button: { list: [...] }`.
function asSelfMenuInfo (button: Json): Json {
  const subs = Array.isArray(button.sub_button) ? button.sub_button as Json[] : []
  if (subs.length === 0) return button
  return { name: button.name, sub_button: { list: subs } }
}

/** Default and conditional menus: create, get (two shapes), delete, addconditional, delconditional, trymatch. */
export function registerMenuRoutes (app: FastifyInstance, state: PlatformState): void {
  const mediaExists = (id: string): boolean => state.media.permanent.has(id)

  apiRoute(app, state, 'POST', '/cgi-bin/menu/create', ({ body, appId }) => {
    const error = menuError(body, mediaExists)
    if (error !== undefined) fail(error)
    const menus = state.menusOf(appId)
    menus.current = { button: body.button as Json[], menuid: menus.nextMenuId(), at: state.now() }
    return OK
  })

  apiRoute(app, state, 'GET', '/cgi-bin/menu/get', ({ appId }) => {
    const menus = state.menusOf(appId)
    const current = menus.current ?? fail(ERR.menuNotExist)
    const conditional = menus.conditional.map((menu) => ({ button: menu.button.map(asAnswered), matchrule: menu.matchrule, menuid: menu.menuid }))
    return { menu: { button: current.button.map(asAnswered), menuid: current.menuid }, ...(conditional.length === 0 ? {} : { conditionalmenu: conditional }) }
  })

  apiRoute(app, state, 'GET', '/cgi-bin/get_current_selfmenu_info', ({ appId }) => {
    const current = state.menusOf(appId).current
    return current === undefined
      ? { is_menu_open: 0, selfmenu_info: { button: [] } }
      : { is_menu_open: 1, selfmenu_info: { button: current.button.map(asSelfMenuInfo) } }
  })

  apiRoute(app, state, 'GET', '/cgi-bin/menu/delete', ({ appId }) => {
    state.menusOf(appId).clear()
    return OK
  })

  apiRoute(app, state, 'POST', '/cgi-bin/menu/addconditional', ({ body, appId }) => {
    const menus = state.menusOf(appId)
    const error = menuError(body, mediaExists) ?? matchRuleError(body.matchrule, (id) => state.tags.tags.has(id))
    if (error !== undefined) fail(error)
    if (menus.current === undefined) fail(ERR.noDefaultMenu)
    const menuid = menus.nextMenuId()
    menus.conditional.push({ button: body.button as Json[], matchrule: body.matchrule as Json, menuid, at: state.now() })
    // WeChat sends this menuid as a string, unlike menu/get's numbers.
    return { menuid: String(menuid) }
  })

  apiRoute(app, state, 'POST', '/cgi-bin/menu/delconditional', ({ body, appId }) => {
    const menus = state.menusOf(appId)
    const index = menus.conditional.findIndex((menu) => String(menu.menuid) === String(body.menuid))
    if (index === -1) fail(ERR.noConditionalMenu)
    menus.conditional.splice(index, 1)
    return OK
  })

  apiRoute(app, state, 'POST', '/cgi-bin/menu/trymatch', ({ body, appId }) => {
    const openid = typeof body.user_id === 'string' ? body.user_id : ''
    if (!state.fans.has(openid)) fail(ERR.noSuchUser)
    const seen = menuSeenBy(state, appId, openid) ?? fail(ERR.menuNotExist)
    return { button: seen.button.map(asAnswered) }
  })
}

/**
 * The menu a fan sees (trymatch, the console's menu bar): the newest conditional menu whose tag
 * is the fan's latest tag, else the default; none without a default. The fake has no phones,
 * so a rule on client_platform_type never matches.
 */
export function menuSeenBy (state: PlatformState, appId: string, openid: string): StoredMenu | undefined {
  const menus = state.menusOf(appId)
  if (menus.current === undefined) return undefined
  const latestTag = state.followers.of(openid).tagIds.at(-1)
  const matching = menus.conditional.filter((menu) =>
    menu.matchrule.client_platform_type === undefined && Number(menu.matchrule.tag_id) === latestTag)
  return matching.at(-1) ?? menus.current
}
