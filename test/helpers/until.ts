import { setTimeout as sleep } from 'node:timers/promises'

/** Polls `probe` until it gives a value (not undefined), or throws naming `what` after `withinMs`. */
export async function until<T> (what: string, probe: () => T | undefined, withinMs = 15_000, pollMs = 20): Promise<T> {
  const deadline = Date.now() + withinMs
  for (;;) {
    const value = probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(pollMs)
  }
}

/** Polls `condition` until it holds, or throws naming `what` after `withinMs`. */
export async function untilTrue (what: string, condition: () => boolean, withinMs = 15_000, pollMs = 20): Promise<void> {
  await until(what, () => condition() ? true : undefined, withinMs, pollMs)
}
