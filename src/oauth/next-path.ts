const MAX_LENGTH = 512
// Path and query characters of RFC 3986 (no fragment, no backslash, no whitespace or controls).
const PATH_AND_QUERY = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@/%?]*$/
const BASE = 'http://next-path.invalid'

/**
 * `next` made safe to put in a Location header: a path on this site, or the default. WeChat only
 * checks the redirect_uri's domain, so any open redirect here would leak codes (docs/security.md H 79).
 * Absolute URLs, scheme-relative `//host`, `/\host`, their percent-encoded forms, and paths
 * with an /oauth/ segment (a login landing on login or callback would loop) all become `fallback`.
 */
export function safeNextPath (raw: unknown, fallback: string): string {
  if (typeof raw !== 'string' || raw.length > MAX_LENGTH || !PATH_AND_QUERY.test(raw)) return fallback
  const decoded = decodedOrUndefined(raw)
  if (decoded === undefined || looksOffSite(raw) || looksOffSite(decoded)) return fallback
  const url = new URL(raw, BASE)
  const path = `${url.pathname}${url.search}`
  // Dot segments are resolved first: `/..//evil.example` normalizes to `//evil.example`.
  if (looksOffSite(path) || /(^|\/)oauth(\/|$)/i.test(url.pathname)) return fallback
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
