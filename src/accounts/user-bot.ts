import { isAbsolute, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ConfigError } from '../config.js'
import type { BotFactory } from './account.js'

/**
 * WEMP_BOT=./my-bot.js: a module whose default export builds the bot from an account's services,
 * or maps account ids to such builders (the accounts it leaves out get the default bot).
 */
export async function loadUserBot (specifier: string | undefined, cwd: string): Promise<BotFactory | Record<string, BotFactory> | undefined> {
  if (specifier === undefined || specifier === '') return undefined
  const path = isAbsolute(specifier) ? specifier : resolve(cwd, specifier)
  let loaded: { default?: unknown }
  try {
    loaded = await import(pathToFileURL(path).href) as { default?: unknown }
  } catch (error) {
    throw new ConfigError(`WEMP_BOT cannot be loaded from ${path} (${(error as { code?: string }).code ?? (error as Error).message})`)
  }
  const exported = loaded.default
  if (typeof exported === 'function') return exported as BotFactory
  if (typeof exported === 'object' && exported !== null && Object.values(exported).every((value) => typeof value === 'function')) {
    return exported as Record<string, BotFactory>
  }
  throw new ConfigError('WEMP_BOT must export by default a function (services) => bot, or an object of them by account id')
}
