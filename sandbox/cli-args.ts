import { parseArgs } from 'node:util'
import { Value } from '@sinclair/typebox/value'
import { MessageModeSchema } from '../src/protocol/message-mode.js'
import type { FanAction } from './fan-message.js'
import type { MessageMode } from './push-envelope.js'

export interface SendCommand {
  action: FanAction
  mode?: MessageMode
  from?: string
  server?: string
  /** The account to push as (its id); the first one when absent. */
  account?: string
  raw: boolean
}

export type ParsedSend = { ok: true, command: SendCommand } | { ok: false, error: string }

export const SEND_USAGE = `usage: wemp-sandbox send [TEXT] [options]
  TEXT                        a text message (the default)
  --event subscribe|unsubscribe|SCAN|CLICK|VIEW
  --key K                     the CLICK key, VIEW url, or SCAN/subscribe QR scene
  --location LAT,LNG          a location message (--label NAME to name the place)
  --image | --voice           an image or voice message (placeholder media ids)
  --link URL                  a link message
  --mode plain|compatible|safe   default: WECHAT_MESSAGE_MODE
  --from OPENID               the fan (default: the sandbox's first fan)
  --account ID                the account to push as, with WECHAT_ACCOUNTS_FILE (default: the first)
  --server URL                default: SANDBOX_SERVER_URL or http://127.0.0.1:3000/wechat
  --raw                       also print the raw request and reply XML
exit codes: 0 a valid reply (or none), 1 an invalid reply, 2 no reply in time, 64 bad usage`

const COORDINATES = /^(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)$/

/** Parses `send`'s arguments (node:util parseArgs) into one fan action. */
export function parseSendArgs (args: string[]): ParsedSend {
  let parsed
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        event: { type: 'string' },
        key: { type: 'string' },
        location: { type: 'string' },
        label: { type: 'string' },
        image: { type: 'boolean' },
        voice: { type: 'boolean' },
        link: { type: 'string' },
        mode: { type: 'string' },
        from: { type: 'string' },
        server: { type: 'string' },
        account: { type: 'string' },
        raw: { type: 'boolean' }
      }
    })
  } catch (error) {
    return { ok: false, error: (error as Error).message }
  }
  const { values, positionals } = parsed
  if (values.mode !== undefined && !Value.Check(MessageModeSchema, values.mode)) return { ok: false, error: `--mode must be plain, compatible or safe, not ${values.mode}` }
  const kinds = [positionals.length > 0, values.event, values.location, values.image, values.voice, values.link].filter((v) => v !== undefined && v !== false)
  if (kinds.length !== 1) return { ok: false, error: 'give exactly one of TEXT, --event, --location, --image, --voice, --link' }
  const action = toAction(values, positionals.join(' '))
  if (typeof action === 'string') return { ok: false, error: action }
  return {
    ok: true,
    command: {
      action,
      raw: values.raw === true,
      ...(values.mode === undefined ? {} : { mode: values.mode as MessageMode }),
      ...(values.from === undefined ? {} : { from: values.from }),
      ...(values.server === undefined ? {} : { server: values.server }),
      ...(values.account === undefined ? {} : { account: values.account })
    }
  }
}

interface Values { event?: string, key?: string, location?: string, label?: string, image?: boolean, voice?: boolean, link?: string }

function toAction (values: Values, text: string): FanAction | string {
  if (values.image === true) return { kind: 'image' }
  if (values.voice === true) return { kind: 'voice' }
  if (values.link !== undefined) return { kind: 'link', url: values.link, title: values.link }
  if (values.location !== undefined) {
    const match = COORDINATES.exec(values.location)
    if (match === null) return `--location must be LAT,LNG (e.g. 31.23,121.47), not ${values.location}`
    return { kind: 'location', latitude: Number(match[1]), longitude: Number(match[2]), label: values.label ?? '' }
  }
  if (values.event === undefined) return text === '' ? 'TEXT must not be empty' : { kind: 'text', content: text }
  const key = values.key
  switch (values.event) {
    case 'subscribe': return key === undefined ? { kind: 'subscribe' } : { kind: 'subscribe', scene: key }
    case 'unsubscribe': return { kind: 'unsubscribe' }
    case 'SCAN': return key === undefined ? '--event SCAN needs --key SCENE' : { kind: 'scan', scene: key }
    case 'CLICK': return key === undefined ? '--event CLICK needs --key KEY' : { kind: 'click', key }
    case 'VIEW': return key === undefined ? '--event VIEW needs --key URL' : { kind: 'view', url: key }
    default: return `--event must be subscribe, unsubscribe, SCAN, CLICK or VIEW, not ${values.event}`
  }
}
