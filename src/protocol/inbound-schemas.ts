import { Type, type Static, type TObject, type TProperties } from '@sinclair/typebox'

/**
 * The messages and events WeChat pushes (docs/protocol.md §4), one TypeBox schema each: the schema
 * validates the parsed XML and gives the handler its type. Every value stays the exact string
 * WeChat sent (MsgId is a 64-bit integer); unknown extra fields are tolerated and ignored.
 */
const Str = (maxLength = 1024) => Type.String({ maxLength })
const Digits = (maxLength: number) => Type.String({ pattern: `^[0-9]{1,${maxLength}}$` })
const Coordinate = Type.String({ pattern: '^-?[0-9]{1,3}(\\.[0-9]{1,12})?$' })
const Opt = Type.Optional

const header = {
  ToUserName: Type.String({ minLength: 1, maxLength: 64 }),
  FromUserName: Type.String({ minLength: 1, maxLength: 128 }),
  CreateTime: Digits(12)
}

const message = <T extends string, P extends TProperties>(type: T, props: P) =>
  Type.Object({ ...header, MsgType: Type.Literal(type), MsgId: Digits(20), MsgDataId: Opt(Str(64)), Idx: Opt(Str(16)), ...props })

const event = <T extends string, P extends TProperties>(type: T, props: P) =>
  Type.Object({ ...header, MsgType: Type.Literal('event'), Event: Type.Literal(type), ...props })

export const TextMessage = message('text', { Content: Str(8192) })
export const ImageMessage = message('image', { PicUrl: Str(), MediaId: Str(256) })
export const VoiceMessage = message('voice', {
  MediaId: Str(256),
  Format: Str(32),
  MediaId16K: Opt(Str(256)),
  Recognition: Opt(Str(8192))
})
export const VideoMessage = message('video', { MediaId: Str(256), ThumbMediaId: Str(256) })
export const ShortVideoMessage = message('shortvideo', { MediaId: Str(256), ThumbMediaId: Str(256) })
export const LocationMessage = message('location', {
  Location_X: Coordinate,
  Location_Y: Coordinate,
  Scale: Digits(4),
  Label: Str()
})
export const LinkMessage = message('link', { Title: Str(), Description: Str(4096), Url: Str(2048) })

const menuKey = { EventKey: Str(1024) }
const picEvent = <T extends string>(type: T) => event(type, {
  ...menuKey,
  SendPicsInfo: Type.Object({
    Count: Digits(3),
    PicList: Opt(Type.Union([Type.Literal(''), Type.Object({ item: Type.Array(Type.Object({ PicMd5Sum: Str(64) }), { maxItems: 9 }) })]))
  })
})
const scanCodeEvent = <T extends string>(type: T) => event(type, {
  ...menuKey,
  ScanCodeInfo: Type.Object({ ScanType: Str(32), ScanResult: Str(4096) })
})

export const SubscribeEvent = event('subscribe', { EventKey: Opt(Str(128)), Ticket: Opt(Str(256)) })
export const UnsubscribeEvent = event('unsubscribe', { EventKey: Opt(Str(128)) })
export const ScanEvent = event('SCAN', { EventKey: Str(128), Ticket: Opt(Str(256)) })
export const LocationEvent = event('LOCATION', { Latitude: Coordinate, Longitude: Coordinate, Precision: Str(32) })
export const ClickEvent = event('CLICK', menuKey)
export const ViewEvent = event('VIEW', { ...menuKey, MenuId: Opt(Digits(20)) })
export const ScancodePushEvent = scanCodeEvent('scancode_push')
export const ScancodeWaitmsgEvent = scanCodeEvent('scancode_waitmsg')
export const PicSysphotoEvent = picEvent('pic_sysphoto')
export const PicPhotoOrAlbumEvent = picEvent('pic_photo_or_album')
export const PicWeixinEvent = picEvent('pic_weixin')
export const LocationSelectEvent = event('location_select', {
  ...menuKey,
  SendLocationInfo: Type.Object({
    Location_X: Coordinate,
    Location_Y: Coordinate,
    Scale: Digits(4),
    Label: Opt(Str()),
    Poiname: Opt(Str())
  })
})
/** Job-finish events spell it MsgID, unlike messages' MsgId. */
export const TemplateSendJobFinishEvent = event('TEMPLATESENDJOBFINISH', { MsgID: Digits(20), Status: Str(256) })
export const MassSendJobFinishEvent = event('MASSSENDJOBFINISH', {
  MsgID: Digits(20),
  Status: Str(256),
  TotalCount: Digits(12),
  FilterCount: Digits(12),
  SentCount: Digits(12),
  ErrorCount: Digits(12)
})

/** A well-formed push of a type this server does not model: answered with `success`. */
export const UnknownPush = Type.Object({ ...header, MsgType: Type.String({ minLength: 1, maxLength: 64 }), Event: Opt(Str(64)) })

export const MESSAGE_SCHEMAS = {
  text: TextMessage,
  image: ImageMessage,
  voice: VoiceMessage,
  video: VideoMessage,
  shortvideo: ShortVideoMessage,
  location: LocationMessage,
  link: LinkMessage
} satisfies Record<string, TObject>

export const EVENT_SCHEMAS = {
  subscribe: SubscribeEvent,
  unsubscribe: UnsubscribeEvent,
  SCAN: ScanEvent,
  LOCATION: LocationEvent,
  CLICK: ClickEvent,
  VIEW: ViewEvent,
  scancode_push: ScancodePushEvent,
  scancode_waitmsg: ScancodeWaitmsgEvent,
  pic_sysphoto: PicSysphotoEvent,
  pic_photo_or_album: PicPhotoOrAlbumEvent,
  pic_weixin: PicWeixinEvent,
  location_select: LocationSelectEvent,
  TEMPLATESENDJOBFINISH: TemplateSendJobFinishEvent,
  MASSSENDJOBFINISH: MassSendJobFinishEvent
} satisfies Record<string, TObject>

export type MessageTypes = { [K in keyof typeof MESSAGE_SCHEMAS]: Static<(typeof MESSAGE_SCHEMAS)[K]> }
export type EventTypes = { [K in keyof typeof EVENT_SCHEMAS]: Static<(typeof EVENT_SCHEMAS)[K]> }
export type UnknownPush = Static<typeof UnknownPush>
export type TextMessage = MessageTypes['text']
export type LocationMessage = MessageTypes['location']
export type SubscribeEvent = EventTypes['subscribe']
