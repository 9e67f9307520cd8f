#!/usr/bin/env node
// The wemp-sandbox bin: the only file of the sandbox that reads the environment.
import { runProgram } from './program.js'

const outcome = await runProgram(process.argv.slice(2), process.env, { stdout: process.stdout, stderr: process.stderr })
if (typeof outcome === 'number') {
  process.exitCode = outcome
} else {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => { void outcome.close() })
  }
}
