import { CITIES, PROVINCES } from './cities.js'
import type { City, Province } from './cities.js'
import { greatCircleKm } from './nearest-city.js'

export interface CityMatch {
  city: City
  /** The text as written: 上海市, 深圳, 广东省. */
  matched: string
  index: number
  /** Set when only a province was named and its capital stands in for it. */
  province?: Province
}

interface AliasEntry {
  city: City
  province?: Province
  /**
   * Breaks a tie on the very same alias: a prefecture-level city (3) beats a province (2), which
   * beats an autonomous prefecture's or a county-level city's short name (1). So 吉林 is 吉林市,
   * while 海南 is the province (→ 海口), not 海南藏族自治州 (still reachable as 海南州).
   */
  priority: number
}

/** Colloquial short forms that no suffix rule produces. */
const EXTRA_ALIASES: readonly (readonly [string, string])[] = [
  ['巴州', '巴音郭楞'], ['博州', '博尔塔拉'], ['克州', '克孜勒苏'], ['锡盟', '锡林郭勒'],
  ['版纳', '西双版纳'], ['襄樊', '襄阳'], ['思茅', '普洱'], ['内蒙', '内蒙古']
]

function cityAliases (city: City): string[] {
  switch (city.kind) {
    case 'autonomous-prefecture': return [city.name, city.fullName, `${city.name}州`]
    case 'region': case 'league': return [city.name, city.fullName]
    default: return [city.name, city.fullName, `${city.name}市`]
  }
}

function cityPriority (city: City): number {
  return city.kind === 'municipality' || city.kind === 'city' || city.kind === 'special-region' ? 3 : 1
}

function buildAliasTable (): Map<string, AliasEntry> {
  const table = new Map<string, AliasEntry>()
  const add = (alias: string, entry: AliasEntry): void => {
    const held = table.get(alias)
    if (held === undefined || held.priority < entry.priority) table.set(alias, entry)
  }
  for (const city of CITIES) {
    for (const alias of cityAliases(city)) add(alias, { city, priority: cityPriority(city) })
  }
  for (const province of PROVINCES) {
    const entry = { city: province.capital, province, priority: 2 }
    for (const alias of [province.name, province.fullName, `${province.name}省`]) add(alias, entry)
  }
  for (const [alias, target] of EXTRA_ALIASES) add(alias, table.get(target) as AliasEntry)
  return table
}

const ALIASES = buildAliasTable()
const PROVINCE_NAMES = new Set(PROVINCES.map((province) => province.name))
/** Alias lengths by first character, longest first: most characters of a text start no name. */
const LENGTHS_BY_FIRST_CHAR = new Map<string, number[]>()
for (const alias of ALIASES.keys()) {
  const lengths = LENGTHS_BY_FIRST_CHAR.get(alias[0] as string) ?? []
  if (!lengths.includes(alias.length)) lengths.push(alias.length)
  LENGTHS_BY_FIRST_CHAR.set(alias[0] as string, lengths.sort((a, b) => b - a))
}

/** The exact place a name stands for (any accepted spelling), or null. */
export function cityByName (name: string): CityMatch | null {
  const entry = ALIASES.get(name.trim())
  if (entry === undefined) return null
  return { city: entry.city, matched: name.trim(), index: 0, ...(entry.province && { province: entry.province }) }
}

/**
 * How much a match should be believed, highest first: a city over a city whose name is also a
 * province's (吉林长春 → 长春) over a province alone (湖北恩施 → 恩施, 广东 → 广州).
 */
function trust (entry: AliasEntry, alias: string): number {
  if (entry.province !== undefined) return 0
  return PROVINCE_NAMES.has(entry.city.name) && alias === entry.city.name ? 1 : 2
}

/** One place name found in a text, with how much to believe it (see `bestCity`). */
export interface CityCandidate extends CityMatch {
  length: number
  rank: readonly number[]
}

/**
 * Every place name in a text: at each position the longest alias there, of two characters or more
 * (no one-character names: 京 or 沪 would hit too much ordinary text). Overlaps are kept
 * (上海东 holds 上海 and 海东); `bestCity` or the caller decides.
 */
export function cityCandidates (text: string): CityCandidate[] {
  const found: CityCandidate[] = []
  for (let index = 0; index < text.length - 1; index++) {
    for (const length of LENGTHS_BY_FIRST_CHAR.get(text[index] as string) ?? []) {
      if (length < 2 || index + length > text.length) continue
      const alias = text.slice(index, index + length)
      const entry = ALIASES.get(alias)
      if (entry === undefined) continue
      found.push({
        city: entry.city,
        matched: alias,
        index,
        length,
        rank: [trust(entry, alias), length, entry.priority],
        ...(entry.province && { province: entry.province })
      })
      break
    }
  }
  return found
}

/** The most trusted, then the longest (呼和浩特), then the higher priority, then the first. */
export function bestCity (candidates: readonly CityCandidate[]): CityMatch | null {
  let best: CityCandidate | null = null
  for (const candidate of candidates) {
    if (best === null || outranks(candidate.rank, best.rank)) best = candidate
  }
  if (best === null) return null
  const { city, matched, index, province } = best
  return { city, matched, index, ...(province && { province }) }
}

/** The place a free text names, or null. */
export function findCity (text: string): CityMatch | null {
  return bestCity(cityCandidates(text))
}

/** Lexicographic comparison; an equal rank keeps the earlier match. */
function outranks (rank: readonly number[], held: readonly number[]): boolean {
  for (let i = 0; i < rank.length; i++) {
    if (rank[i] !== held[i]) return (rank[i] as number) > (held[i] as number)
  }
  return false
}

/**
 * The known place closest to a point (great-circle distance). On an exact tie the later entry
 * wins, so a seat listed after its prefecture (库尔勒 after 巴音郭楞) names the spot.
 */
export function nearestCity (latitude: number, longitude: number): { city: City, distanceKm: number } {
  let best = { city: CITIES[0] as City, distanceKm: Infinity }
  for (const city of CITIES) {
    const km = greatCircleKm(latitude, longitude, city.latitude, city.longitude)
    if (km <= best.distanceKm) best = { city, distanceKm: km }
  }
  return best
}
