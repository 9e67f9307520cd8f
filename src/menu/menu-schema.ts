import { Type, type Static, type TObject } from '@sinclair/typebox'

/**
 * The WeChat menu format (menu.json, as menu/create takes it), one schema per button type with
 * the fields that type needs. Lengths are WeChat's in UTF-8 bytes, which JSON Schema cannot say:
 * those are checked in menu-check.ts.
 */
const Text = Type.String({ minLength: 1 })
const Name = Type.String()

const KEY = { key: Text }
const URL = { url: Text }
const MEDIA = { media_id: Text }
const ARTICLE = { article_id: Text }
// An old client without mini-program support opens `url` instead.
const MINIPROGRAM = { url: Text, appid: Text, pagepath: Text }

export const BUTTON_SCHEMAS = {
  click: Type.Object({ type: Type.Literal('click'), name: Name, ...KEY }),
  view: Type.Object({ type: Type.Literal('view'), name: Name, ...URL }),
  scancode_push: Type.Object({ type: Type.Literal('scancode_push'), name: Name, ...KEY }),
  scancode_waitmsg: Type.Object({ type: Type.Literal('scancode_waitmsg'), name: Name, ...KEY }),
  pic_sysphoto: Type.Object({ type: Type.Literal('pic_sysphoto'), name: Name, ...KEY }),
  pic_photo_or_album: Type.Object({ type: Type.Literal('pic_photo_or_album'), name: Name, ...KEY }),
  pic_weixin: Type.Object({ type: Type.Literal('pic_weixin'), name: Name, ...KEY }),
  location_select: Type.Object({ type: Type.Literal('location_select'), name: Name, ...KEY }),
  media_id: Type.Object({ type: Type.Literal('media_id'), name: Name, ...MEDIA }),
  article_id: Type.Object({ type: Type.Literal('article_id'), name: Name, ...ARTICLE }),
  article_view_limited: Type.Object({ type: Type.Literal('article_view_limited'), name: Name, ...ARTICLE }),
  miniprogram: Type.Object({ type: Type.Literal('miniprogram'), name: Name, ...MINIPROGRAM })
} as const satisfies Record<string, TObject>

export type ButtonType = keyof typeof BUTTON_SCHEMAS
export const BUTTON_TYPES = Object.keys(BUTTON_SCHEMAS) as ButtonType[]

const S = BUTTON_SCHEMAS
export const LeafButtonSchema = Type.Union([
  S.click, S.view, S.scancode_push, S.scancode_waitmsg, S.pic_sysphoto, S.pic_photo_or_album,
  S.pic_weixin, S.location_select, S.media_id, S.article_id, S.article_view_limited, S.miniprogram
])

export const ParentButtonSchema = Type.Object({ name: Name, sub_button: Type.Array(LeafButtonSchema) })

export const MenuSchema = Type.Object({ button: Type.Array(Type.Union([LeafButtonSchema, ParentButtonSchema])) })

/** Who sees a conditional (个性化) menu: a fan tag and/or the phone's system (1 iOS, 2 Android, 3 other). */
export const MatchRuleSchema = Type.Object({
  tag_id: Type.Optional(Type.String({ pattern: '^[0-9]+$' })),
  client_platform_type: Type.Optional(Type.Union([Type.Literal('1'), Type.Literal('2'), Type.Literal('3')]))
})

export const ConditionalMenuSchema = Type.Object({ button: MenuSchema.properties.button, matchrule: MatchRuleSchema })

export type LeafButton = Static<typeof LeafButtonSchema>
export type ParentButton = Static<typeof ParentButtonSchema>
export type Button = LeafButton | ParentButton
export type Menu = Static<typeof MenuSchema>
export type MatchRule = Static<typeof MatchRuleSchema>
export type ConditionalMenu = Static<typeof ConditionalMenuSchema>

/** WeChat's limits: 1–3 buttons, 1–5 sub-buttons each, and these UTF-8 byte lengths. */
export const MENU_LIMITS = {
  buttons: 3,
  subButtons: 5,
  topNameBytes: 16,
  subNameBytes: 60,
  keyBytes: 128,
  urlBytes: 1024
} as const
