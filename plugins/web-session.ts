import fastifyCookie from '@fastify/cookie'
import fastifySession from '@fastify/session'
import type { Session } from 'fastify'
import fp from 'fastify-plugin'
import type { WebSessionData } from '../src/oauth/account-session.js'
import type { Store } from '../src/store/store.js'
import { SESSION_TTL_MS, sessionStoreAdapter } from '../src/oauth/session-store-adapter.js'

declare module 'fastify' {
  /** What a browser's session holds (in the shared store under sess:<id>; the cookie has only the signed id). */
  interface Session extends WebSessionData {}
}

export interface WebSessionPluginOptions {
  /** SESSION_SECRET: signs the cookie (HMAC-SHA256). */
  secret: string
  /** True when PUBLIC_URL is https: the cookie is Secure and named with the __Host- prefix. */
  secure: boolean
  store: Store
}

/** The cookie's name; __Host- makes browsers refuse it unless Secure, Path=/ and host-only. */
export function sessionCookieName (secure: boolean): string {
  return secure ? '__Host-wemp_sid' : 'wemp_sid'
}

/**
 * Browser sessions via @fastify/session: a signed, HttpOnly, SameSite=Lax cookie with the id,
 * the data in our Store, so every instance on the same Redis sees the same sessions. Not saved
 * until something is put in it, so crawlers and probes cost no store writes. Not rolling: a
 * session lives 7 days from its last change. Behind a TLS-terminating proxy, a Secure cookie is
 * only set when Fastify sees the request as https (X-Forwarded-Proto from a trusted proxy).
 */
export const webSessionPlugin = fp<WebSessionPluginOptions>(async (app, options) => {
  await app.register(fastifyCookie)
  await app.register(fastifySession, {
    secret: options.secret,
    cookieName: sessionCookieName(options.secure),
    saveUninitialized: false,
    rolling: false,
    store: sessionStoreAdapter<Session>(options.store),
    cookie: { path: '/', httpOnly: true, sameSite: 'lax', secure: options.secure, maxAge: SESSION_TTL_MS }
  })
}, { name: 'wemp-web-session', fastify: '5.x' })
