import { setFlagsFromString } from 'node:v8'

/**
 * After each full collection V8 lets the old generation grow to a multiple of what survived it
 * before collecting again: 4× on a host with a large heap limit (any machine with a few GB of RAM).
 * Under load wemp keeps about 30 MB alive, but the objects of pushes in flight survive their young
 * collections and fill the old generation, so the process sat near 210 MB between collections.
 * Twice what survived keeps it near 150 MB for the same CPU per push (docs/runtime.md).
 */
export const HEAP_GROWING_PERCENT = 100

const FLAG = '--heap-growing-percent'

/** The flag to set, or undefined when the operator chose their own (on the command line or in NODE_OPTIONS). */
export function heapGrowthFlag (execArgv: readonly string[], nodeOptions: string | undefined): string | undefined {
  const given = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)]
  if (given.some((arg) => arg === FLAG || arg.startsWith(`${FLAG}=`) || arg === '--heap_growing_percent' || arg.startsWith('--heap_growing_percent='))) return undefined
  return `${FLAG}=${HEAP_GROWING_PERCENT}`
}

/**
 * For the service's own process (server.ts), not for an app that embeds wemp: the flag is the
 * process's. V8 reads it at every full collection, so setting it at start takes effect.
 */
export function boundHeapGrowth (execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS): string | undefined {
  const flag = heapGrowthFlag(execArgv, nodeOptions)
  if (flag !== undefined) setFlagsFromString(flag)
  return flag
}
