/** Where a login lands when `next` is absent or refused. */
export const DEFAULT_NEXT_PATH = '/profile'

const MAX_LENGTH = 512
// Path and query characters of RFC 3986 (no fragment, no backslash, no whitespace or controls).
const PATH_AND_QUERY = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@/%?]*$/
const BASE = 'http://next-path.invalid'

/**
 * `next` made safe to put in a Location header: a path on this site, or the default. WeChat only
 * checks the redirect_uri's domain, so any open redirect here would leak codes (checklist H 79).
 * Absolute URLs, scheme-relative `//host`, `/\host`, their percent-encoded forms, and paths
 * under /oauth/ (a login landing on login or callback would loop) all fall back to the default.
 */
export function safeNextPath (raw: unknown): string {
  if (typeof raw !== 'string' || raw.length > MAX_LENGTH || !PATH_AND_QUERY.test(raw)) return DEFAULT_NEXT_PATH
  const decoded = decodedOrUndefined(raw)
  if (decoded === undefined || looksOffSite(raw) || looksOffSite(decoded)) return DEFAULT_NEXT_PATH
  const url = new URL(raw, BASE)
  const path = `${url.pathname}${url.search}`
  // Dot segments are resolved first: `/..//evil.example` normalizes to `//evil.example`.
  if (looksOffSite(path) || /^\/oauth(\/|$)/i.test(url.pathname)) return DEFAULT_NEXT_PATH
  return path
}

function looksOffSite (path: string): boolean {
  return !path.startsWith('/') || path.startsWith('//') || path.includes('\\') || /[\u0000-\u001f\u007f]/.test(path)
}

function decodedOrUndefined (path: string): string | undefined {
  try {
    return decodeURIComponent(path)
  } catch {
    return undefined
  }
}
