import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The directory holding package.json, found by walking up from a module's URL. The service runs
 * from source in tests and from dist/src in production, so neither cwd nor a fixed number of
 * `..` finds views/ in both.
 */
export function findProjectRoot (fromUrl: string | URL = import.meta.url): string {
  const start = dirname(fileURLToPath(fromUrl))
  let directory = start
  while (!existsSync(join(directory, 'package.json'))) {
    const parent = dirname(directory)
    if (parent === directory) throw new Error(`no package.json in ${start} or above`)
    directory = parent
  }
  return directory
}
