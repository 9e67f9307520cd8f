import { XMLParser, XMLValidator } from 'fast-xml-parser'

/** Why a body was refused; never carries any of the body's text. */
export type XmlError = 'empty' | 'declaration' | 'malformed' | 'shape'

export type XmlParseResult =
  | { ok: true, fields: XmlFields }
  | { ok: false, error: XmlError }

/** The children of the single `<xml>` root: leaf text, or nested elements (menu events). */
export interface XmlFields {
  [name: string]: string | XmlFields | XmlFields[]
}


/** The only element WeChat repeats (a list even when single); anything else repeated is an attack or a bug. */
const REPEATABLE = 'xml.SendPicsInfo.PicList.item'

/**
 * With processEntities off nothing is ever decoded; passing the decoder spares the parser building
 * an entity table for every document, as jPath:false spares it a path string for every tag.
 */
const nothing = (): void => {}
const NO_ENTITY_DECODING = { setExternalEntities: nothing, addInputEntities: nothing, reset: nothing, setXmlVersion: nothing, decode: String }

const parser = new XMLParser({
  processEntities: false,
  entityDecoder: NO_ENTITY_DECODING,
  jPath: false,
  htmlEntities: false,
  parseTagValue: false,
  trimValues: false,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: 10
})

/** Parses a WeChat XML document: no DTDs ever, one `<xml>` root, no repeated scalars. */
export function parseWeChatXml (text: string): XmlParseResult {
  // A byte-order mark is not content; the parser would keep it as text beside the root.
  const xml = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  if (xml.trim() === '') return { ok: false, error: 'empty' }
  if (hasDeclaration(xml)) return { ok: false, error: 'declaration' }
  if (XMLValidator.validate(xml) !== true) return { ok: false, error: 'malformed' }
  let document: unknown
  try {
    document = parser.parse(xml)
  } catch {
    return { ok: false, error: 'malformed' }
  }
  const root = (document as Record<string, unknown>).xml
  if (Object.keys(document as object).length !== 1 || !isRecord(root)) return { ok: false, error: 'shape' }
  const fields = toFields(root, 'xml')
  return fields === undefined ? { ok: false, error: 'shape' } : { ok: true, fields }
}

/**
 * True when the document has a markup declaration (`<!DOCTYPE`, `<!ENTITY`, …) outside CDATA
 * sections, comments and processing instructions (each of which may quote `<!` harmlessly):
 * DTDs are refused before any parser sees them. One pass over the markup, no copies.
 */
function hasDeclaration (xml: string): boolean {
  for (let at = xml.indexOf('<'); at !== -1; at = xml.indexOf('<', at + 1)) {
    const close = sectionEnd(xml, at)
    if (close === 'declaration') return true
    // An unterminated section is malformed: the validator refuses it.
    if (close === -1) return false
    at = close
  }
  return false
}

const SECTIONS: ReadonlyArray<readonly [string, string]> = [['<![CDATA[', ']]>'], ['<!--', '-->'], ['<?', '?>']]

/** Where the section opening at `at` ends (an element: `at` itself), or 'declaration'. */
function sectionEnd (xml: string, at: number): number | 'declaration' {
  for (const [open, close] of SECTIONS) {
    if (xml.startsWith(open, at)) {
      const end = xml.indexOf(close, at + open.length)
      return end === -1 ? -1 : end + close.length - 1
    }
  }
  return xml.startsWith('<!', at) ? 'declaration' : at
}

function toFields (node: Record<string, unknown>, path: string): XmlFields | undefined {
  const fields: XmlFields = {}
  for (const name in node) {
    const value = node[name]
    if (name === '#text') {
      if (typeof value !== 'string' || value.trim() !== '') return undefined
      continue
    }
    const child = toField(value, `${path}.${name}`)
    if (child === undefined) return undefined
    fields[name] = child
  }
  return fields
}

// The parser yields strings, objects, and arrays for repeated elements.
function toField (value: unknown, path: string): string | XmlFields | XmlFields[] | undefined {
  if (path === REPEATABLE) {
    const items = (Array.isArray(value) ? value : [value]).map((item) => (isRecord(item) ? toFields(item, path) : undefined))
    return items.every((item) => item !== undefined) ? (items as XmlFields[]) : undefined
  }
  if (typeof value === 'string') return value
  return Array.isArray(value) ? undefined : toFields(value as Record<string, unknown>, path)
}

function isRecord (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Characters XML 1.0 cannot carry at all, even in CDATA (controls, lone surrogates, U+FFFE/F). */
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/** A CDATA section holding any text: `]]>` is split across two sections, as XML requires. */
export function cdata (text: string): string {
  const safe = text.replace(NOT_XML_CHAR, '\uFFFD').replaceAll(']]>', ']]]]><![CDATA[>')
  return `<![CDATA[${safe}]]>`
}
