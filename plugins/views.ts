import { join } from 'node:path'
import fastifyView from '@fastify/view'
import { Eta } from 'eta'
import type { FastifyReply } from 'fastify'
import fp from 'fastify-plugin'
import { findProjectRoot } from '../src/project-root.js'
import { contentSecurityPolicy, newPageNonce, WEB_BASELINE_HEADERS, type PageScripts } from '../src/pages/page-security.js'

declare module 'fastify' {
  interface FastifyReply {
    /**
     * Sends views/<template>.eta as an HTML page with its security headers: a CSP whose nonce is
     * new for this response and handed to the template as `it.nonce`. A page runs no script
     * unless it passes `scripts` (its <script> tags then carry the same nonce).
     */
    page(template: string, data: Record<string, unknown>, scripts?: PageScripts): Promise<FastifyReply>
  }
}

export interface ViewsPluginOptions {
  /** Templates compiled once and cached (production), or re-read on every render (development). */
  production: boolean
}

/** Eta templates from <project root>/views, wherever the process was started from. */
export const VIEWS_DIRECTORY = join(findProjectRoot(import.meta.url), 'views')

export const viewsPlugin = fp<ViewsPluginOptions>(async (app, { production }) => {
  // autoEscape is Eta's default; spelled out because every value from WeChat relies on it.
  await app.register(fastifyView, { engine: { eta: new Eta({ autoEscape: true }) }, templates: VIEWS_DIRECTORY, production })

  app.decorateReply('page', async function (this: FastifyReply, template: string, data: Record<string, unknown>, scripts?: PageScripts) {
    const nonce = newPageNonce()
    const html = await this.viewAsync(template, { ...data, nonce })
    return this.headers({ ...WEB_BASELINE_HEADERS, 'content-security-policy': contentSecurityPolicy(nonce, scripts) })
      .type('text/html; charset=utf-8')
      .send(html)
  })
}, { name: 'wemp-views', fastify: '5.x' })
