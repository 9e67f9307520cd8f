import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'
import { findProjectRoot } from '../../src/project-root.js'

/** <project root>/public: the pages' own scripts, as written (no build step). */
export const PUBLIC_DIRECTORY = join(findProjectRoot(import.meta.url), 'public')
export const STATIC_PREFIX = '/static/'

/** A year, immutable: every page names the file with its content hash, so a change is a new URL. */
const STATIC_MAX_AGE = '365d'

/** `/static/<file>?v=<hash of its content>`: what a page puts in its <script src>. */
export function staticAssetUrl (file: string): string {
  const digest = createHash('sha256').update(readFileSync(join(PUBLIC_DIRECTORY, file))).digest('hex').slice(0, 16)
  return `${STATIC_PREFIX}${file}?v=${digest}`
}

/**
 * public/ at /static/ through @fastify/static: only the files there at start-up get a route (no
 * wildcard, no directory listing, no dot files), cached long; X-Content-Type-Options: nosniff
 * comes with every web response.
 */
export async function staticAssets (app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, {
    root: PUBLIC_DIRECTORY,
    prefix: STATIC_PREFIX,
    wildcard: false,
    index: false,
    list: false,
    serveDotFiles: false,
    decorateReply: false,
    maxAge: STATIC_MAX_AGE,
    immutable: true
  })
}
