import type { FastifyReply } from 'fastify'
import { OAUTH_PAGES, type OAuthPageKind } from '../../src/oauth/oauth-pages.js'

/** Sends one of the friendly web-authorization pages with its status; `actionHref` is its one button. */
export async function sendOAuthPage (reply: FastifyReply, kind: OAuthPageKind, actionHref: string): Promise<FastifyReply> {
  const page = OAUTH_PAGES[kind]
  return await reply.code(page.status).page('oauth-error', { ...page, kind, actionHref })
}
