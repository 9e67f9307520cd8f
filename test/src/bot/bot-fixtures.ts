// Pushes as the router receives them (parsed and validated the way the route does), and a logger
// that records what a bot logs.
import type { InboundPush } from '../../../src/protocol/inbound-push.js'
import { textPush } from '../../fixtures/pushes.js'
import { pushOf, recordingLogger, type LogCall } from '../../helpers/bot-context.js'
export { pushOf, recordingLogger }
export type { LogCall }

export const FAN = 'oFan00000000000000000000001'

export const text = (content: string, from = FAN): InboundPush => pushOf(textPush({ content, from }))

const head = (type: string, from: string) =>
  `<ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName>` +
  `<CreateTime>1348831860</CreateTime><MsgType><![CDATA[${type}]]></MsgType>`

export function locationXml ({ latitude, longitude, label, from = FAN, msgId = '1234567890123456' }: { latitude: string, longitude: string, label: string, from?: string, msgId?: string }): string {
  return `<xml>${head('location', from)}<Location_X>${latitude}</Location_X><Location_Y>${longitude}</Location_Y>` +
    `<Scale>15</Scale><Label><![CDATA[${label}]]></Label><MsgId>${msgId}</MsgId></xml>`
}

/** An event push; `rest` holds its extra fields as XML. */
export function eventXml (event: string, rest = '', from = FAN, createTime = '1348831860'): string {
  return `<xml>${head('event', from).replace('1348831860', createTime)}<Event><![CDATA[${event}]]></Event>${rest}</xml>`
}
