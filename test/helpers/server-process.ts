import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

export const SERVER_ENTRY = fileURLToPath(new URL('../../dist/server.js', import.meta.url))

/** The flags `npm start` gives node before the entry (package.json's start script), to run the server as users start it. */
export function startScriptNodeArgs (): string[] {
  const { scripts } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } }
  const words = scripts.start.split(/\s+/)
  if (words[0] !== 'node' || words.at(-1) !== 'dist/server.js') throw new Error(`npm start is not "node [flags] dist/server.js": ${scripts.start}`)
  return words.slice(1, -1)
}

export interface RunningServer {
  child: ChildProcess
  url: string
  output: () => string
  exited: Promise<number | null>
}

/** Starts the built server (`npm start` without the build) and waits for its listening line; `nodeArgs` go before the entry. */
export async function startServer (env: Record<string, string>, nodeArgs: string[] = []): Promise<RunningServer> {
  const child = spawn(process.execPath, [...nodeArgs, SERVER_ENTRY], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += String(chunk)
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
      if (match?.[1] !== undefined) resolve(match[1])
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    void exited.then((code) => reject(new Error(`server exited with ${String(code)} before listening:\n${output}`)))
  })
  return { child, url, output: () => output, exited }
}

/** Runs the built server to completion (for start-up refusals) and returns its exit code and output. */
export async function runServerToExit (env: Record<string, string>): Promise<{ code: number | null, output: string }> {
  const child = spawn(process.execPath, [SERVER_ENTRY], { env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', ...env } })
  let output = ''
  child.stdout.on('data', (c: Buffer) => { output += String(c) })
  child.stderr.on('data', (c: Buffer) => { output += String(c) })
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
  return { code, output }
}
