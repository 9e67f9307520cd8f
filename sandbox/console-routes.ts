import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import { registerConsolePlatformRoutes } from './console-platform-routes.js'
import { exchangeAs } from './exchange.js'
import { PRESET_PLACES } from './fan-message.js'
import { JssdkLocationBodySchema, NewFanSchema, SendBodySchema } from './fan-action-schema.js'
import type { JssdkLocationBody, SendBody } from './fan-action-schema.js'
import { randomId } from './platform/random-id.js'
import type { ConsoleAccount, ConsoleRoutesOptions } from './console-options.js'

const CustomerServiceBodySchema = Type.Object({ account: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })), allowed: Type.Boolean() }, { additionalProperties: false })

const PAGE_FILES: Record<string, string> = {
  'console.js': 'text/javascript; charset=utf-8',
  'console-menu.js': 'text/javascript; charset=utf-8',
  'console-cards.js': 'text/javascript; charset=utf-8',
  'console-qrcodes.js': 'text/javascript; charset=utf-8',
  'phone.css': 'text/css; charset=utf-8'
}
// What opens the 48-hour customer-service window (docs/protocol.md §8).
const WINDOW_OPENERS = new Set(['text', 'location', 'image', 'voice', 'link', 'subscribe', 'scan', 'click'])

/** The chat console: its page and the JSON API the page drives. */
export function registerConsoleRoutes (app: FastifyInstance, options: ConsoleRoutesOptions): void {
  const { state, session, accounts } = options
  const first = accounts[0] as ConsoleAccount
  const describe = ({ id, name, secrets, mode, serverUrl, accountId }: ConsoleAccount) =>
    ({ id, name, appId: secrets.appId, mode, serverUrl, gh: accountId, customerService: !state.withoutCustomerService.has(secrets.appId) })

  app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').viewAsync('console.eta', { accountName: first.name }))

  app.get<{ Params: { file: string } }>('/sandbox/:file', async (request, reply) => {
    const type = PAGE_FILES[request.params.file]
    if (type === undefined) return reply.code(404).send({ error: 'no such file' })
    return reply.type(type).send(await readFile(join(options.assets, 'public', request.params.file)))
  })

  app.get('/api/session', async () => ({
    account: { name: first.name, id: first.accountId },
    accounts: accounts.map(describe),
    mode: first.mode,
    serverUrl: first.serverUrl,
    currentOpenid: session.currentOpenid,
    fans: [...state.fans.values()].map(({ openid, nickname }) => ({ openid, nickname })),
    places: PRESET_PLACES,
    customMessageCount: state.messages.length,
    customerService: !state.withoutCustomerService.has(state.appId)
  }))

  const appIdOf = (id: string | undefined): string | undefined => id === undefined ? first.secrets.appId : accounts.find((a) => a.id === id)?.secrets.appId

  // The switch "账号无客服消息权限": message/custom/send then answers 48001, as for an unverified 订阅号.
  app.post<{ Body: Static<typeof CustomerServiceBodySchema> }>('/api/customer-service', { schema: { body: CustomerServiceBodySchema } }, async (request, reply) => {
    const appId = appIdOf(request.body.account)
    if (appId === undefined) return reply.code(404).send({ error: `no account ${request.body.account as string}` })
    if (request.body.allowed) state.withoutCustomerService.delete(appId)
    else state.withoutCustomerService.add(appId)
    return { customerService: request.body.allowed }
  })

  app.post<{ Body: { nickname: string } }>('/api/fans', { schema: { body: NewFanSchema } }, async (request) => {
    // 28 characters like a real openid: 'o' + 27 from the token alphabet.
    const fan = state.addFan({ openid: `oSandbox${randomId(15)}`.slice(0, 28), nickname: request.body.nickname })
    session.follows.addNewcomer(fan.openid)
    session.currentOpenid = fan.openid
    return { openid: fan.openid, nickname: fan.nickname }
  })

  app.post<{ Body: SendBody }>('/api/send', { schema: { body: SendBodySchema } }, async (request, reply) => {
    const { openid, action, mode } = request.body
    const account = request.body.account === undefined ? first : accounts.find((a) => a.id === request.body.account)
    if (account === undefined) return reply.code(404).send({ error: `no account ${request.body.account as string}` })
    if (!state.fans.has(openid)) return reply.code(404).send({ error: `no fan ${openid}` })
    session.currentOpenid = openid
    if (WINDOW_OPENERS.has(action.kind)) state.setOutsideWindow(openid, false)
    if (action.kind === 'subscribe' || action.kind === 'unsubscribe') session.follows.set(account.id, openid, action.kind === 'subscribe')
    return exchangeAs(account, openid, action, options, mode)
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
    return { next: state.messages.length, messages: state.messages.slice(after).map(({ appId, touser, msgtype, content, body }) => ({ appId, touser, msgtype, content, body })) }
  })

  registerConsolePlatformRoutes(app, options)
}
