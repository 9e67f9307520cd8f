import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { test } from 'tap'
import { findProjectRoot } from '../../src/project-root.js'

test('walks up to the directory with package.json', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'wemp-root-'))
  t.teardown(async () => { const { rm } = await import('node:fs/promises'); await rm(root, { recursive: true, force: true }) })
  writeFileSync(join(root, 'package.json'), '{}')
  mkdirSync(join(root, 'dist', 'src'), { recursive: true })
  t.equal(findProjectRoot(pathToFileURL(join(root, 'dist', 'src', 'app.js'))), root, 'from the built output')
  t.equal(findProjectRoot(pathToFileURL(join(root, 'app.js')).href), root, 'from the root itself, as a string URL')
})

test('this module finds the repository root by default', async (t) => {
  t.equal(findProjectRoot(), join(import.meta.dirname, '..', '..'))
})

test('no package.json anywhere above → an error naming where it looked', async (t) => {
  const bare = mkdtempSync(join(tmpdir(), 'wemp-bare-'))
  t.teardown(async () => { const { rm } = await import('node:fs/promises'); await rm(bare, { recursive: true, force: true }) })
  // tmpdir() may itself sit under a directory with a package.json on some machines; only assert when it does not.
  let found: string | undefined
  try {
    found = findProjectRoot(pathToFileURL(join(bare, 'x.js')))
  } catch (error) {
    t.match((error as Error).message, /no package\.json in .*wemp-bare-/)
    return
  }
  t.not(found, bare)
})
