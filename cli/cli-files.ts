import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { UsageError } from './cli-output.js'

/** A file named on the command line, relative to the CLI's directory; one that cannot be read is a usage error. */
export async function readArgumentFile (file: string, cwd: string): Promise<Buffer>
export async function readArgumentFile (file: string, cwd: string, encoding: 'utf8'): Promise<string>
export async function readArgumentFile (file: string, cwd: string, encoding?: 'utf8'): Promise<Buffer | string> {
  try {
    return encoding === undefined ? await readFile(resolve(cwd, file)) : await readFile(resolve(cwd, file), encoding)
  } catch (error) {
    // Every error readFile raises carries its code (ENOENT, EACCES, EISDIR).
    throw new UsageError(`cannot read ${file} (${String((error as NodeJS.ErrnoException).code)})`)
  }
}
