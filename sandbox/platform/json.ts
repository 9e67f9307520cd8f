/** A JSON object as the fake platform reads and answers it. */
export type Json = Record<string, unknown>
