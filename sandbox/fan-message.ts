import { randomInt } from 'node:crypto'
import { cdata } from '../src/protocol/xml-codec.js'

/** Something a fake fan does in the chat, as the console and the CLI describe it. */
export type FanAction =
  | { kind: 'text', content: string }
  | { kind: 'location', latitude: number, longitude: number, label: string, scale?: number }
  | { kind: 'image' }
  | { kind: 'voice' }
  | { kind: 'link', url: string, title?: string, description?: string }
  /** With a scene: through a QR code, whose ticket WeChat sends along (a stand-in one when not given). */
  | { kind: 'subscribe', scene?: string, ticket?: string }
  | { kind: 'unsubscribe' }
  /** A QR-code scan by someone who already follows the account. */
  | { kind: 'scan', scene: string, ticket?: string }
  | { kind: 'click', key: string }
  | { kind: 'view', url: string }

export interface FanMessage {
  xml: string
  /** WeChat's inbound MsgType: a message type, or `event`. */
  msgType: string
  /** Ordinary messages only; events are deduplicated by FromUserName + CreateTime. */
  msgId?: string
  createTime: number
}

export interface FanMessageAddress {
  openid: string
  /** The account's original id (gh_…). */
  accountId: string
  createTime: number
  /** Fixed in tests; a random 64-bit-looking id otherwise. */
  msgId?: string
}

/** Presets for the location button, as WeChat's location picker would fill them in. */
export const PRESET_PLACES = [
  { label: '北京天安门', latitude: 39.908823, longitude: 116.39747 },
  { label: '上海外滩', latitude: 31.240167, longitude: 121.490317 },
  { label: '广州塔', latitude: 23.106414, longitude: 113.324553 },
  { label: '深圳', latitude: 22.543099, longitude: 114.057868 }
] as const

// Placeholder media ids: the sandbox has no media store, these only have WeChat's shape.
const IMAGE_MEDIA_ID = 'SandboxImageMediaId_0123456789abcdefghijklmnopqrstuv'
const VOICE_MEDIA_ID = 'SandboxVoiceMediaId_0123456789abcdefghijklmnopqrstuv'
const SANDBOX_TICKET = 'gQH47joAAAAAAAAAASxodHRwOi8vd2VpeGluLnFxLmNvbS9xL2taZ2Z3TVRtNzJXV1Brb3ZhYmJJAAIEZ23sUwMEmm3sUw=='

export function randomMsgId (): string {
  // WeChat's MsgIds are 64-bit integers above 2^53: kept as a string from here on.
  return `2${String(randomInt(0, 2 ** 47)).padStart(15, '0')}${String(randomInt(0, 1000)).padStart(3, '0')}`
}

/** The inbound XML WeChat would push for `action` (docs/protocol.md §4). */
export function buildFanMessage (action: FanAction, address: FanMessageAddress): FanMessage {
  const header = (msgType: string) =>
    `<ToUserName>${cdata(address.accountId)}</ToUserName><FromUserName>${cdata(address.openid)}</FromUserName>` +
    `<CreateTime>${address.createTime}</CreateTime><MsgType>${cdata(msgType)}</MsgType>`
  const message = (msgType: string, fields: string): FanMessage => {
    const msgId = address.msgId ?? randomMsgId()
    return { xml: `<xml>${header(msgType)}${fields}<MsgId>${msgId}</MsgId></xml>`, msgType, msgId, createTime: address.createTime }
  }
  const event = (name: string, fields = ''): FanMessage =>
    ({ xml: `<xml>${header('event')}<Event>${cdata(name)}</Event>${fields}</xml>`, msgType: 'event', createTime: address.createTime })

  switch (action.kind) {
    case 'text': return message('text', `<Content>${cdata(action.content)}</Content>`)
    case 'location': return message('location',
      `<Location_X>${action.latitude}</Location_X><Location_Y>${action.longitude}</Location_Y>` +
      `<Scale>${action.scale ?? 15}</Scale><Label>${cdata(action.label)}</Label>`)
    case 'image': return message('image',
      `<PicUrl>${cdata(`https://mmbiz.qpic.cn/sandbox/${IMAGE_MEDIA_ID}/0`)}</PicUrl><MediaId>${cdata(IMAGE_MEDIA_ID)}</MediaId>`)
    case 'voice': return message('voice',
      `<MediaId>${cdata(VOICE_MEDIA_ID)}</MediaId><Format>${cdata('amr')}</Format>` +
      `<MediaId16K>${cdata(`${VOICE_MEDIA_ID}16K`)}</MediaId16K><Recognition>${cdata('')}</Recognition>`)
    case 'link': return message('link',
      `<Title>${cdata(action.title ?? action.url)}</Title><Description>${cdata(action.description ?? '')}</Description><Url>${cdata(action.url)}</Url>`)
    case 'subscribe': return action.scene === undefined
      ? event('subscribe')
      : event('subscribe', `<EventKey>${cdata(`qrscene_${action.scene}`)}</EventKey><Ticket>${cdata(action.ticket ?? SANDBOX_TICKET)}</Ticket>`)
    case 'unsubscribe': return event('unsubscribe')
    case 'scan': return event('SCAN', `<EventKey>${cdata(action.scene)}</EventKey><Ticket>${cdata(action.ticket ?? SANDBOX_TICKET)}</Ticket>`)
    case 'click': return event('CLICK', `<EventKey>${cdata(action.key)}</EventKey>`)
    case 'view': return event('VIEW', `<EventKey>${cdata(action.url)}</EventKey><MenuId>100</MenuId>`)
  }
}
