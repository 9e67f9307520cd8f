import { givenFlag } from './node-flags.js'

/**
 * V8's young generation is sized when node starts and cannot be changed afterwards: Node 20 lets
 * a semi-space grow to 16 MB, Node 24 to 64 MB on a large host, which costs a busy wemp about
 * 70 MB of resident memory and some CPU; 8 MB (a 16-MB young generation) keeps a busy wemp
 * under 160 MB on Node 24 for a few % of CPU (docs/runtime.md §2). `npm start` gives node the flag;
 * a process started as `node dist/server.js` replaces itself with one started with it, on the
 * runtimes that can (`process.execve`, Node 22.15 and later, not Windows).
 */
export const SEMI_SPACE_FLAG = '--max-semi-space-size=8'

const FLAGS = ['--max-semi-space-size', '--max_semi_space_size']

/** The process's own facts, as `process` has them (the typings of Node 20 lack `execve`). */
export interface LaunchedProcess {
  execPath: string
  execArgv: readonly string[]
  argv: readonly string[]
  env: Record<string, string | undefined>
  execve?: (file: string, args: readonly string[], env: Record<string, string | undefined>) => never
}

/** The semi-space flag node was given, on its command line or in NODE_OPTIONS; undefined when none. */
export function givenSemiSpaceFlag (execArgv: readonly string[], nodeOptions = ''): string | undefined {
  return givenFlag([...execArgv, ...nodeOptionWords(nodeOptions)], FLAGS)
}

/** What the start line says of the young generation: the flag node runs with, or V8's default. */
export function youngGenerationNote (execArgv: readonly string[], nodeOptions?: string): string {
  return givenSemiSpaceFlag(execArgv, nodeOptions) ?? 'V8 default'
}

/** NODE_OPTIONS's words as node reads them: separated by spaces, a word may be in double quotes (tap quotes each). */
function nodeOptionWords (nodeOptions: string): string[] {
  return [...nodeOptions.matchAll(/"((?:\\.|[^"\\])*)"|(\S+)/g)].map((match) => match[2] ?? (match[1] as string).replace(/\\(.)/g, '$1'))
}

/** The command line to start again with, or undefined when node already has a semi-space flag. */
export function relaunchArgs (launched: LaunchedProcess): string[] | undefined {
  if (givenSemiSpaceFlag(launched.execArgv, launched.env.NODE_OPTIONS) !== undefined) return undefined
  return [launched.execPath, SEMI_SPACE_FLAG, ...launched.execArgv, ...launched.argv.slice(1)]
}

/**
 * Replaces the process with the same command plus the flag, before anything is loaded: the same
 * pid, stdio and environment, so a supervisor or a container sees one process. Returns (and the
 * process goes on with V8's default) where that cannot be done; says why on stderr when it failed.
 */
export function relaunchWithBoundedYoungGeneration (launched: LaunchedProcess, stderr: (line: string) => void): void {
  const args = relaunchArgs(launched)
  if (args === undefined || launched.execve === undefined) return
  try {
    launched.execve(launched.execPath, args, launched.env)
  } catch (error) {
    stderr(`wemp: could not restart node with ${SEMI_SPACE_FLAG} (${String((error as { code?: unknown }).code ?? (error as Error).name)}); V8's default young generation stays\n`)
  }
}
