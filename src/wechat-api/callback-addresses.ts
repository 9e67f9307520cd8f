import { BlockList, isIP } from 'node:net'

/** WeChat's callback addresses as a matcher: what getcallbackip listed, and what of it was usable. */
export interface AddressList {
  list: BlockList
  /** Entries added to the list. */
  accepted: number
  /** Entries that are neither an address nor a CIDR range (left out). */
  skipped: number
}

/** Builds the matcher from getcallbackip's `ip_list`: `1.2.3.4`, `101.226.103.0/25`, IPv6 likewise. */
export function addressList (entries: readonly string[]): AddressList {
  const list = new BlockList()
  let accepted = 0
  for (const entry of entries) {
    const range = rangeOf(entry)
    if (range === undefined) continue
    if (range.bits === undefined) list.addAddress(range.address, range.type)
    else list.addSubnet(range.address, range.bits, range.type)
    accepted++
  }
  return { list, accepted, skipped: entries.length - accepted }
}

interface Range { address: string, type: 'ipv4' | 'ipv6', bits?: number }

function rangeOf (entry: string): Range | undefined {
  const parts = entry.trim().split('/')
  const [address, prefix] = parts as [string, string | undefined]
  const family = isIP(address)
  if (family === 0 || parts.length > 2) return undefined
  const type = family === 6 ? 'ipv6' : 'ipv4'
  if (prefix === undefined) return { address, type }
  const bits = Number(prefix)
  return /^\d{1,3}$/.test(prefix) && bits <= (family === 6 ? 128 : 32) ? { address, type, bits } : undefined
}

/** Whether `ip` is on the list; an IPv4 client seen as `::ffff:a.b.c.d` matches its IPv4 entry. */
export function listed (list: BlockList, ip: string | undefined): boolean {
  const family = ip === undefined ? 0 : isIP(ip)
  if (family === 0) return false
  return list.check(ip as string, family === 6 ? 'ipv6' : 'ipv4')
}

export interface CallbackAddressesOptions {
  /** getcallbackip, through some account's API client. */
  fetch: () => Promise<string[]>
  refreshMs: number
  /** After a failed refresh, the next attempt comes sooner than `refreshMs`. */
  retryMs: number
  onRefreshed?: (accepted: number, skipped: number) => void
  /** `keptLast`: a list from an earlier refresh is still in use. */
  onFailed?: (error: unknown, keptLast: boolean) => void
}

export interface CallbackAddresses {
  /** True or false once a list is known; undefined before the first one arrives. */
  allows(ip: string | undefined): boolean | undefined
  /** Fetches the list now; a failure (or a list with nothing usable) keeps the last good one. */
  refresh(): Promise<boolean>
  /** The first refresh, then one every `refreshMs` (`retryMs` after a failure). */
  start(): Promise<void>
  stop(): void
}

export class EmptyCallbackListError extends Error {
  override name = 'EmptyCallbackListError'
  constructor () { super('getcallbackip listed no usable address') }
}

/**
 * WeChat's callback addresses, kept in memory and refreshed on a timer. WeChat changes them
 * rarely and announces it; a refresh that fails leaves the last good list in place, since
 * refusing every push over one failed API call would silence the account.
 */
export function createCallbackAddresses (options: CallbackAddressesOptions): CallbackAddresses {
  let current: BlockList | undefined
  let timer: NodeJS.Timeout | undefined
  let stopped = false

  async function refresh (): Promise<boolean> {
    try {
      const { list, accepted, skipped } = addressList(await options.fetch())
      if (accepted === 0) throw new EmptyCallbackListError()
      current = list
      options.onRefreshed?.(accepted, skipped)
      return true
    } catch (error) {
      options.onFailed?.(error, current !== undefined)
      return false
    }
  }

  function schedule (ok: boolean): void {
    if (stopped) return
    timer = setTimeout(() => { void refresh().then(schedule) }, ok ? options.refreshMs : Math.min(options.retryMs, options.refreshMs))
    // The refresh never keeps the process alive on its own.
    timer.unref()
  }

  return {
    allows: (ip) => current === undefined ? undefined : listed(current, ip),
    refresh,
    async start () {
      schedule(await refresh())
    },
    stop () {
      stopped = true
      clearTimeout(timer)
    }
  }
}
