/** The value of one sample in Prometheus text exposition (`name{labels} value`); undefined when absent. */
export function sampleValue (text: string, sample: string): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue
    const space = line.lastIndexOf(' ')
    if (space > 0 && line.slice(0, space) === sample) return Number(line.slice(space + 1))
  }
  return undefined
}
