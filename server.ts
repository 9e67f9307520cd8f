// The process's entry. Node's heap flags come first: V8 sizes its young generation at start, so
// the process may start again with the flag (src/young-generation.ts) before the service loads.
import { relaunchWithBoundedYoungGeneration } from './src/young-generation.js'

relaunchWithBoundedYoungGeneration(process, (line) => process.stderr.write(line))
await import('./service.js')
