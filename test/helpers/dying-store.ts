import type { Store } from '../../src/store/store.js'

/**
 * One instance's view of a shared store that can die: after `kill()` none of its calls reach the
 * store (they reject), as with a process killed mid-push, while other views go on working.
 */
export function dyingView (store: Store): { store: Store, kill: () => void } {
  let dead = false
  const view = Object.fromEntries(Object.entries(store).map(([name, call]) => [name, async (...args: unknown[]) => {
    if (dead) throw new Error('this instance is dead')
    return await (call as (...a: unknown[]) => Promise<unknown>)(...args)
  }])) as unknown as Store
  return { store: view, kill: () => { dead = true } }
}
