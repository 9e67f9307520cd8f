#!/usr/bin/env node
// The wemp bin: the only file of the CLI that reads the process's environment and streams.
import { runCli } from './program.js'

process.exitCode = await runCli(process.argv.slice(2), process.env, { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() })
