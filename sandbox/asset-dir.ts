import { existsSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Where the templates (views/) and page files (public/) live. tsc compiles only the .ts files
 * into dist/sandbox/, so the compiled program looks for them back in the source tree.
 */
export function assetDir (moduleDir: string): string {
  return existsSync(resolve(moduleDir, 'views')) ? moduleDir : resolve(moduleDir, '..', '..', 'sandbox')
}

export const SANDBOX_ASSETS = assetDir(dirname(fileURLToPath(import.meta.url)))
