import type { FastifyInstance } from 'fastify'
import { OK, apiRoute, fail } from './api-route.js'
import { customMessageError } from './custom-message-rules.js'
import type { PlatformState } from './platform-state.js'
import { ERR } from './wechat-errors.js'

const TYPING_COMMANDS = new Set(['Typing', 'CancelTyping'])

/**
 * Customer-service messages of every kind, recorded in `state.messages` for tests and the
 * sandbox console, and the typing status (`state.typing`: the fans shown "typing…").
 */
export function registerMessageRoutes (app: FastifyInstance, state: PlatformState): void {
  apiRoute(app, state, 'POST', '/cgi-bin/message/custom/send', ({ body, query }) => {
    const appId = state.credentials.appOf(query('access_token') as string) as string
    const fan = (typeof body.touser === 'string' ? state.fans.get(body.touser) : undefined) ?? fail(ERR.invalidOpenid)
    if (state.followers.of(fan.openid).blacklisted) fail(ERR.blacklisted)
    const error = customMessageError(body, state.media)
    if (error !== undefined) fail(error)
    if (fan.outsideWindow) fail(ERR.outOfTimeLimit)
    const msgtype = body.msgtype as string
    const content = (body.text as { content?: unknown } | undefined)?.content
    state.messages.push({ appId, touser: fan.openid, msgtype, ...(msgtype === 'text' ? { content: content as string } : {}), body, at: state.now() })
    // A message ends the "typing…" shown to the fan, as in the client.
    state.typing.delete(fan.openid)
    return OK
  })

  apiRoute(app, state, 'POST', '/cgi-bin/message/custom/typing', ({ body }) => {
    const fan = (typeof body.touser === 'string' ? state.fans.get(body.touser) : undefined) ?? fail(ERR.invalidOpenid)
    const command = String(body.command)
    if (!TYPING_COMMANDS.has(command)) fail(ERR.invalidTypingCommand)
    // WeChat allows the typing status only shortly after the fan wrote (45080).
    if (fan.outsideWindow) fail(ERR.typingNeedsInteraction)
    if (command === 'Typing') {
      if (state.typing.has(fan.openid)) fail(ERR.alreadyTyping)
      state.typing.add(fan.openid)
    } else {
      state.typing.delete(fan.openid)
    }
    return OK
  })
}
