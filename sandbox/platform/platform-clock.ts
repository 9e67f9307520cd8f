/** Milliseconds since the epoch; tests pass their own to age tokens and codes without waiting. */
export type Clock = () => number
