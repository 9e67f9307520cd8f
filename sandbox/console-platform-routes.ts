import { Type, type Static } from '@sinclair/typebox'
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { ConsoleAccount, ConsoleRoutesOptions } from './console-options.js'
import { exchangeAs } from './exchange.js'
import type { FanAction } from './fan-message.js'
import { menuSeenBy } from './platform/menu-routes.js'
import { noticeFeed } from './notice-cards.js'
import type { IssuedQrCode } from './platform/qrcode-registry.js'

const Short = (maxLength = 256) => Type.String({ minLength: 1, maxLength })

const ScanBodySchema = Type.Object({
  account: Type.Optional(Short(32)),
  openid: Short(64),
  ticket: Short(512)
}, { additionalProperties: false })
type ScanBody = Static<typeof ScanBodySchema>

interface AccountQuery { account?: string, openid?: string }

/**
 * What the console shows of the platform's state, account by account: the menu a fan sees,
 * the QR codes issued (and scanning one), template and subscription notices, uploaded media.
 */
export function registerConsolePlatformRoutes (app: FastifyInstance, options: ConsoleRoutesOptions): void {
  const { state, session, accounts } = options
  const first = accounts[0] as ConsoleAccount
  const accountOf = (id: string | undefined): ConsoleAccount | undefined => id === undefined ? first : accounts.find((a) => a.id === id)
  const notFound = (reply: FastifyReply, what: string): FastifyReply => reply.code(404).send({ error: `no ${what}` })

  app.get<{ Querystring: AccountQuery }>('/api/menu', async (request, reply) => {
    const account = accountOf(request.query.account)
    if (account === undefined) return notFound(reply, `account ${request.query.account as string}`)
    const menu = menuSeenBy(state, account.secrets.appId, request.query.openid ?? session.currentOpenid)
    return menu === undefined ? { menuid: null, button: [] } : { menuid: menu.menuid, button: menu.button }
  })

  app.get<{ Querystring: AccountQuery }>('/api/follow', async (request, reply) => {
    const account = accountOf(request.query.account)
    const openid = request.query.openid ?? ''
    if (account === undefined || !state.fans.has(openid)) return notFound(reply, 'such account or fan')
    return { account: account.id, openid, following: session.follows.follows(account.id, openid) }
  })

  app.get<{ Querystring: AccountQuery }>('/api/qrcodes', async (request, reply) => {
    const account = accountOf(request.query.account)
    if (account === undefined) return notFound(reply, `account ${request.query.account as string}`)
    const now = state.now()
    const codes = [...state.qrcodes.codes.values()]
      .filter((code) => (code.appId ?? first.secrets.appId) === account.secrets.appId)
      .reverse()
      .map((code) => ({ ...describeCode(code), expired: code.expiresAt !== undefined && code.expiresAt <= now }))
    return { codes }
  })

  // A scan as WeChat reports it: subscribe with qrscene_ for a newcomer, SCAN for a follower.
  app.post<{ Body: ScanBody }>('/api/qrcodes/scan', { schema: { body: ScanBodySchema } }, async (request, reply) => {
    const { openid, ticket } = request.body
    const account = accountOf(request.body.account)
    if (account === undefined) return notFound(reply, `account ${request.body.account as string}`)
    if (!state.fans.has(openid)) return notFound(reply, `fan ${openid}`)
    const issued = state.qrcodes.codes.get(ticket)
    if (issued === undefined || (issued.appId ?? first.secrets.appId) !== account.secrets.appId) return notFound(reply, 'such QR code for this account')
    if (state.qrcodes.live(ticket) === undefined) return reply.code(410).send({ error: '二维码已过期' })
    const scene = String(issued.scene)
    const following = session.follows.follows(account.id, openid)
    const action: FanAction = following ? { kind: 'scan', scene, ticket } : { kind: 'subscribe', scene, ticket }
    if (!following) {
      session.follows.set(account.id, openid, true)
      // user/info reports where the follower came from from now on.
      Object.assign(state.followers.of(openid), {
        subscribeScene: 'ADD_SCENE_QR_CODE',
        subscribeTime: Math.floor(state.now() / 1000),
        qrScene: typeof issued.scene === 'number' ? issued.scene : 0,
        qrSceneStr: typeof issued.scene === 'string' ? issued.scene : ''
      })
    }
    session.currentOpenid = openid
    state.setOutsideWindow(openid, false)
    const exchange = await exchangeAs(account, openid, action, options)
    return { action, exchange }
  })

  app.get<{ Querystring: { templates?: string, subscribe?: string } }>('/api/notices', async (request) =>
    noticeFeed(state.templates, { templates: offset(request.query.templates), subscribe: offset(request.query.subscribe) }))

  app.get<{ Params: { mediaId: string } }>('/api/media/:mediaId', async (request, reply) => {
    const media = state.media.usable(request.params.mediaId)
    if (media === undefined) return notFound(reply, 'such media')
    const permanent = state.media.permanent.has(media.mediaId)
    return { mediaId: media.mediaId, type: media.type, filename: media.filename, permanent, ...(media.title === undefined ? {} : { title: media.title }) }
  })

  app.get<{ Params: { mediaId: string } }>('/api/media/:mediaId/file', async (request, reply) => {
    const media = state.media.usable(request.params.mediaId)
    // Only what an <img> or <audio> can show; a news material has no file.
    if (media === undefined || media.bytes.length === 0) return notFound(reply, 'such media file')
    return reply.type(media.contentType === '' ? 'application/octet-stream' : media.contentType).header('x-content-type-options', 'nosniff').send(media.bytes)
  })
}

const offset = (text: string | undefined): number => Math.max(0, Number.parseInt(text ?? '0', 10) || 0)

function describeCode (code: IssuedQrCode): Record<string, unknown> {
  return {
    ticket: code.ticket,
    scene: code.scene,
    actionName: code.actionName,
    permanent: code.expiresAt === undefined,
    expiresAt: code.expiresAt ?? null
  }
}
