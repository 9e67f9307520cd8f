import { setFlagsFromString } from 'node:v8'
import { givenFlag } from './node-flags.js'
import { givenSemiSpaceFlag, SEMI_SPACE_FLAG } from './young-generation.js'

/**
 * After each full collection V8 lets the old generation grow to a multiple of what survived it
 * before collecting again: up to 4× on a host with a large heap limit (docs/runtime.md §1). With
 * the memory store, wemp keeps about 30 MB alive under load while the objects of pushes in flight
 * are promoted and die, so the process sat near 210 MB between collections. 2× keeps it near
 * 150 MB with V8's 16-MB semi-space (Node 20 as started) at the same CPU and latency. With wemp's
 * 8-MB semi-space (`npm start`, and Node 24 relaunched) 1.75× keeps Node 24 near 150 MB, which
 * 2× did not; with the 16-MB one 1.75× cost safe mode about a tenth more CPU for nothing needed.
 * With Redis a bound doubled the p99 (more full collections while pushes wait on Redis), so
 * there V8's own factor stays.
 */
export const HEAP_GROWING_PERCENT = 100
export const HEAP_GROWING_PERCENT_SMALL_YOUNG = 75

const FLAGS = ['--heap-growing-percent', '--heap_growing_percent']

/** The flag to set, or undefined: with a shared store, or when the operator gave node their own (node refuses it in NODE_OPTIONS). */
export function heapGrowthFlag (execArgv: readonly string[], sharedStore: boolean, nodeOptions = ''): string | undefined {
  if (sharedStore) return undefined
  if (givenFlag(execArgv, FLAGS) !== undefined) return undefined
  const small = givenSemiSpaceFlag(execArgv, nodeOptions) === SEMI_SPACE_FLAG
  return `${FLAGS[0]}=${small ? HEAP_GROWING_PERCENT_SMALL_YOUNG : HEAP_GROWING_PERCENT}`
}

/**
 * For the service's own process (service.ts), not for an app that embeds wemp: the flag is the
 * process's. V8 reads it at every full collection, so setting it once running takes effect.
 */
export function boundHeapGrowth (sharedStore: boolean, execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS): string | undefined {
  const flag = heapGrowthFlag(execArgv, sharedStore, nodeOptions)
  if (flag !== undefined) setFlagsFromString(flag)
  return flag
}
