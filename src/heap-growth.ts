import { setFlagsFromString } from 'node:v8'
import { givenFlag } from './node-flags.js'

/**
 * After each full collection V8 lets the old generation grow to a multiple of what survived it
 * before collecting again: up to 4× on a host with a large heap limit (docs/runtime.md §1). With
 * the memory store, wemp keeps about 30 MB alive under load while the objects of pushes in flight
 * are promoted and die, so the process sat near 210 MB between collections; 2× keeps it near
 * 150 MB at the same CPU and latency. With Redis the same bound doubled the p99 (more full
 * collections while pushes wait on Redis), so there V8's own factor stays.
 */
export const HEAP_GROWING_PERCENT = 100

const FLAGS = ['--heap-growing-percent', '--heap_growing_percent']

/** The flag to set, or undefined: with a shared store, or when the operator gave node their own (node refuses it in NODE_OPTIONS). */
export function heapGrowthFlag (execArgv: readonly string[], sharedStore: boolean): string | undefined {
  if (sharedStore) return undefined
  if (givenFlag(execArgv, FLAGS) !== undefined) return undefined
  return `${FLAGS[0]}=${HEAP_GROWING_PERCENT}`
}

/**
 * For the service's own process (service.ts), not for an app that embeds wemp: the flag is the
 * process's. V8 reads it at every full collection, so setting it once running takes effect.
 */
export function boundHeapGrowth (sharedStore: boolean, execArgv: readonly string[] = process.execArgv): string | undefined {
  const flag = heapGrowthFlag(execArgv, sharedStore)
  if (flag !== undefined) setFlagsFromString(flag)
  return flag
}
