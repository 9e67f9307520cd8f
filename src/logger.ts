/** What the core logs through: pino's (child) logger fits. Never log message content, openids or secrets. */
export interface Logger {
  info(obj: object, msg?: string): void
  warn(obj: object, msg?: string): void
  error(obj: object, msg?: string): void
}
