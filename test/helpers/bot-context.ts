import type { BotLogger } from '../../src/bot/bot.js'
import { toInboundPush, type InboundPush } from '../../src/protocol/inbound-push.js'
import { parseWeChatXml } from '../../src/protocol/xml-codec.js'

/** A fixture's XML as the typed push the bot receives; throws if the fixture itself is wrong. */
export function pushOf (xml: string): InboundPush {
  const parsed = parseWeChatXml(xml)
  if (!parsed.ok) throw new Error(`fixture does not parse: ${parsed.error}`)
  const result = toInboundPush(parsed.fields)
  if (!result.ok) throw new Error(`fixture refused at ${result.field}`)
  return result.push
}

export interface LogCall { level: 'info' | 'warn' | 'error', obj: Record<string, unknown>, msg?: string | undefined }

/** A logger that keeps what it is given, for assertions on log levels and fields. */
export function recordingLogger (): BotLogger & { calls: LogCall[] } {
  const calls: LogCall[] = []
  return {
    calls,
    info: (obj, msg) => { calls.push({ level: 'info', obj: obj as Record<string, unknown>, msg }) },
    warn: (obj, msg) => { calls.push({ level: 'warn', obj: obj as Record<string, unknown>, msg }) },
    error: (obj, msg) => { calls.push({ level: 'error', obj: obj as Record<string, unknown>, msg }) }
  }
}
