import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { runExchange } from './exchange.js'
import { PRESET_PLACES } from './fan-message.js'
import { JssdkLocationBodySchema, NewFanSchema, SendBodySchema } from './fan-action-schema.js'
import type { JssdkLocationBody, SendBody } from './fan-action-schema.js'
import type { AccountSecrets, MessageMode } from './push-envelope.js'
import type { PlatformState } from './platform/platform-state.js'
import { randomId } from './platform/random-id.js'
import type { SandboxSession } from './sandbox-state.js'

export interface ConsoleRoutesOptions {
  state: PlatformState
  session: SandboxSession
  secrets: AccountSecrets
  mode: MessageMode
  serverUrl: string
  accountId: string
  accountName: string
  assets: string
  timeoutMs?: number
  retries?: number
}

const CustomerServiceBodySchema = Type.Object({ allowed: Type.Boolean() }, { additionalProperties: false })

const PAGE_FILES: Record<string, string> = {
  'console.js': 'text/javascript; charset=utf-8',
  'phone.css': 'text/css; charset=utf-8'
}
// What opens the 48-hour customer-service window (docs/protocol.md §8).
const WINDOW_OPENERS = new Set(['text', 'location', 'image', 'voice', 'link', 'subscribe', 'scan', 'click'])

/** The chat console: its page and the JSON API the page drives. */
export function registerConsoleRoutes (app: FastifyInstance, options: ConsoleRoutesOptions): void {
  const { state, session, accountName } = options

  app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').viewAsync('console.eta', { accountName }))

  app.get<{ Params: { file: string } }>('/sandbox/:file', async (request, reply) => {
    const type = PAGE_FILES[request.params.file]
    if (type === undefined) return reply.code(404).send({ error: 'no such file' })
    return reply.type(type).send(await readFile(join(options.assets, 'public', request.params.file)))
  })

  app.get('/api/session', async () => ({
    account: { name: accountName, id: options.accountId },
    mode: options.mode,
    serverUrl: options.serverUrl,
    currentOpenid: session.currentOpenid,
    fans: [...state.fans.values()].map(({ openid, nickname }) => ({ openid, nickname })),
    places: PRESET_PLACES,
    customMessageCount: state.messages.length,
    customerService: !state.withoutCustomerService.has(state.appId)
  }))

  // The switch "账号无客服消息权限": message/custom/send then answers 48001, as for an unverified 订阅号.
  app.post<{ Body: Static<typeof CustomerServiceBodySchema> }>('/api/customer-service', { schema: { body: CustomerServiceBodySchema } }, async (request) => {
    if (request.body.allowed) state.withoutCustomerService.delete(state.appId)
    else state.withoutCustomerService.add(state.appId)
    return { customerService: request.body.allowed }
  })

  app.post<{ Body: { nickname: string } }>('/api/fans', { schema: { body: NewFanSchema } }, async (request) => {
    // 28 characters like a real openid: 'o' + 27 from the token alphabet.
    const fan = state.addFan({ openid: `oSandbox${randomId(15)}`.slice(0, 28), nickname: request.body.nickname })
    session.currentOpenid = fan.openid
    return { openid: fan.openid, nickname: fan.nickname }
  })

  app.post<{ Body: SendBody }>('/api/send', { schema: { body: SendBodySchema } }, async (request, reply) => {
    const { openid, action, mode } = request.body
    if (!state.fans.has(openid)) return reply.code(404).send({ error: `no fan ${openid}` })
    session.currentOpenid = openid
    if (WINDOW_OPENERS.has(action.kind)) state.setOutsideWindow(openid, false)
    return runExchange({
      serverUrl: options.serverUrl,
      mode: mode ?? options.mode,
      secrets: options.secrets,
      accountId: options.accountId,
      openid,
      action,
      timeoutMs: options.timeoutMs,
      retries: options.retries
    })
  })

  app.get<{ Querystring: { openid?: string } }>('/api/jssdk-location', async (request, reply) => {
    const openid = request.query.openid ?? ''
    if (!state.fans.has(openid)) return reply.code(404).send({ error: `no fan ${openid}` })
    return { openid, ...session.jssdkLocations.get(openid) }
  })

  // Setting a fan's phone makes that fan the one holding it, as sending a message does.
  app.post<{ Body: JssdkLocationBody }>('/api/jssdk-location', { schema: { body: JssdkLocationBodySchema } }, async (request, reply) => {
    const { openid, place, denied } = request.body
    if (!state.fans.has(openid)) return reply.code(404).send({ error: `no fan ${openid}` })
    session.currentOpenid = openid
    return { openid, ...session.jssdkLocations.set(openid, { place, denied }) }
  })

  // The console polls this for customer-service messages the server sent through the API.
  app.get<{ Querystring: { after?: string } }>('/api/custom-messages', async (request) => {
    const after = Math.max(0, Number.parseInt(request.query.after ?? '0', 10) || 0)
    return { next: state.messages.length, messages: state.messages.slice(after).map(({ touser, msgtype, content, body }) => ({ touser, msgtype, content, body })) }
  })
}
