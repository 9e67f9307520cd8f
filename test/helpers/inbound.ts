import type { InboundPush } from '../../src/protocol/inbound-push.js'
import { toInboundPush } from '../../src/protocol/inbound-push.js'
import { parseWeChatXml } from '../../src/protocol/xml-codec.js'

/** A push XML as the route sees it: parsed and typed by the real protocol code; throws when invalid. */
export function inboundPush (xml: string): InboundPush {
  const parsed = parseWeChatXml(xml)
  if (!parsed.ok) throw new Error(`fixture XML refused: ${parsed.error}`)
  const typed = toInboundPush(parsed.fields)
  if (!typed.ok) throw new Error(`fixture push refused at ${typed.field}`)
  return typed.push
}

/** An event push with chosen fan, second, event and optional EventKey. */
export function eventPush ({ event, from = 'oFan00000000000000000000001', createTime = '1348831860', eventKey, extra = '' }: {
  event: string
  from?: string
  createTime?: string
  eventKey?: string
  extra?: string
}): string {
  const key = eventKey === undefined ? '' : `<EventKey><![CDATA[${eventKey}]]></EventKey>`
  return `<xml><ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName>` +
    `<CreateTime>${createTime}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[${event}]]></Event>${key}${extra}</xml>`
}
