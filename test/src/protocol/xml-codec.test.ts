import { test, type Test } from 'tap'
import { cdata, parseWeChatXml, type XmlFields, type XmlParseResult } from '../../../src/protocol/xml-codec.js'
import { PUSHES, textPush } from '../../fixtures/pushes.js'

/** The fields of a document that must parse; fails the test otherwise. */
function fieldsOf (t: Test, xml: string): XmlFields {
  const result = parseWeChatXml(xml)
  if (!result.ok) {
    t.fail(`expected ${JSON.stringify(xml.slice(0, 80))} to parse, got ${result.error}`)
    return {}
  }
  return result.fields
}

function refused (result: XmlParseResult): string | undefined {
  return result.ok ? undefined : result.error
}

/** Runs fn and returns its result, failing if it took longer than a generous hang guard. */
function guarded<T> (t: Test, label: string, fn: () => T): T {
  const started = process.hrtime.bigint()
  const value = fn()
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  t.ok(ms < 5000, `${label} finished (hang guard; took ${ms.toFixed(1)} ms)`)
  return value
}

const HEAD = '<ToUserName><![CDATA[gh_0123456789ab]]></ToUserName><FromUserName><![CDATA[oFan1]]></FromUserName>' +
  '<CreateTime>1348831860</CreateTime><MsgType><![CDATA[text]]></MsgType>'

test('every fixture push parses into its fields', async (t) => {
  for (const [name, xml] of Object.entries(PUSHES)) {
    const fields = fieldsOf(t, xml)
    t.equal(fields.ToUserName, 'gh_0123456789ab', name)
    t.equal(fields.CreateTime, '1348831860', `${name}: CreateTime stays a string`)
  }
  t.same(fieldsOf(t, PUSHES.pic_photo_or_album).SendPicsInfo, {
    Count: '2',
    PicList: { item: [{ PicMd5Sum: '5a75aaca956d97be686719218f275c6b' }, { PicMd5Sum: '1b5f7c23b5bf75682a53e7b6d163e185' }] }
  }, 'PicList items are the one repeated element')
  t.same(fieldsOf(t, PUSHES.pic_sysphoto).SendPicsInfo, {
    Count: '1', PicList: { item: [{ PicMd5Sum: '1b5f7c23b5bf75682a53e7b6d163e185' }] }
  }, 'a single PicList item is still a list')
})

test('C21/22: empty and non-XML bodies are refused', async (t) => {
  t.equal(refused(parseWeChatXml('')), 'empty')
  t.equal(refused(parseWeChatXml('   \n\t')), 'empty')
  for (const body of ['hello world', '{"a":1}', '{"xml":{"Content":"x"}}', '<', '<>', 'text<xml><A>1</A></xml>']) {
    t.not(refused(parseWeChatXml(body)), undefined, JSON.stringify(body))
  }
  t.equal(refused(parseWeChatXml('<xml></xml>')), 'shape', 'an empty root has no fields')
  t.equal(refused(parseWeChatXml('<xml>plain text</xml>')), 'shape', 'a root with text only')
})

test('C23/24: truncated, mismatched and stray tags are refused', async (t) => {
  const bodies = [
    '<xml><ToUserName><![CDATA[gh',
    '<xml><A>1</A><B>',
    '<xml><A>1</A>',
    `<xml>${HEAD}<Content>x</Content>`,
    '<xml><A>1</B></xml>',
    '</a><xml><A>1</A></xml>',
    '<xml><A>1</A></xml></a>',
    '<xml><A>1</A></b></xml>',
    '<xml><A><![CDATA[x</A></xml>',
    '<xml><A>1</A></XML>'
  ]
  for (const body of bodies) t.not(refused(parseWeChatXml(body)), undefined, body)
})

test('C25: one <xml> root only', async (t) => {
  t.not(refused(parseWeChatXml('<xml><A>1</A></xml><xml><A>2</A></xml>')), undefined, 'two roots')
  t.equal(refused(parseWeChatXml('<root><A>1</A></root>')), 'shape', 'another root name')
  t.equal(refused(parseWeChatXml('<XML><A>1</A></XML>')), 'shape', 'root names are case-sensitive')
})

test('C26: a repeated element is refused, never first- or last-wins', async (t) => {
  t.equal(refused(parseWeChatXml(`<xml>${HEAD}<MsgType>event</MsgType></xml>`)), 'shape', 'two MsgType')
  t.equal(refused(parseWeChatXml('<xml><FromUserName>a</FromUserName><ToUserName>g</ToUserName><FromUserName>b</FromUserName></xml>')), 'shape', 'two FromUserName')
  t.equal(refused(parseWeChatXml('<xml><S><A>1</A><A>2</A></S></xml>')), 'shape', 'nested duplicate')
  t.equal(refused(parseWeChatXml('<xml><Articles><item><T>1</T></item><item><T>2</T></item></Articles></xml>')), 'shape', 'item repeats only under SendPicsInfo.PicList')
  t.equal(refused(parseWeChatXml('<xml><SendPicsInfo><PicList><item>a</item><item>b</item></PicList></SendPicsInfo></xml>')), 'shape', 'PicList items must be elements')
  t.equal(refused(parseWeChatXml('<xml><SendPicsInfo><PicList><item>a</item></PicList></SendPicsInfo></xml>')), 'shape', 'a single text item')
})

test('C27: nesting is bounded; deep documents are refused quickly', async (t) => {
  const nested = (depth: number) => `<xml>${'<a>'.repeat(depth)}1${'</a>'.repeat(depth)}</xml>`
  t.ok(parseWeChatXml(nested(5)).ok, '5 levels (deeper than any WeChat push) parse')
  t.ok(parseWeChatXml(PUSHES.location_select).ok, 'the deepest fixtures parse')
  t.not(refused(parseWeChatXml(nested(20))), undefined, '20 levels refused')
  const deep = guarded(t, '10,000 levels', () => parseWeChatXml(nested(10_000)))
  t.equal(deep.ok, false, '10,000 nested elements refused without a stack overflow')
})

test('C28-32: any DOCTYPE or ENTITY outside CDATA is refused before parsing', async (t) => {
  const lol = '<!DOCTYPE lolz [<!ENTITY lol "lol">' +
    Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('') +
    ']>'
  const bodies: Record<string, string> = {
    'internal entity': `<!DOCTYPE x [<!ENTITY a "AAAA">]><xml>${HEAD}<Content>&a;</Content><MsgId>1</MsgId></xml>`,
    'lower-case doctype': '<!doctype xml><xml><A>1</A></xml>',
    'billion laughs': `${lol}<xml>${HEAD}<Content>&lol9;</Content><MsgId>1</MsgId></xml>`,
    'quadratic blowup': `<!DOCTYPE x [<!ENTITY a "${'A'.repeat(9000)}">]><xml><Content>${'&a;'.repeat(5000)}</Content></xml>`,
    'XXE file': '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><xml><Content>&e;</Content></xml>',
    'XXE metadata': '<!DOCTYPE x [<!ENTITY e SYSTEM "http://169.254.169.254/latest/meta-data/">]><xml><Content>&e;</Content></xml>',
    'parameter entity': '<!DOCTYPE x [<!ENTITY % pe SYSTEM "http://127.0.0.1:9/x.dtd"> %pe;]><xml><A>1</A></xml>',
    'two doctypes': '<!DOCTYPE x><!DOCTYPE y><xml><A>1</A></xml>',
    'entity shadowing lt': '<!DOCTYPE x [<!ENTITY l. "&#60;">]><xml><A>&lt;</A></xml>',
    'ENTITY inside the root': '<xml><!ENTITY a "b"><A>1</A></xml>',
    'DOCTYPE after CDATA': '<xml><A><![CDATA[ok]]></A></xml><!DOCTYPE x>',
    'external DTD': '<!DOCTYPE xml SYSTEM "http://127.0.0.1:9/x.dtd"><xml><A>1</A></xml>'
  }
  for (const [label, body] of Object.entries(bodies)) {
    const result = guarded(t, label, () => parseWeChatXml(body))
    t.equal(refused(result), 'declaration', label)
  }
})

test('C28: a DOCTYPE hidden behind a comment that mentions CDATA is still refused', async (t) => {
  const viaComment = '<!-- <![CDATA[ --><!DOCTYPE xml [<!ENTITY a "AAAA">]><!-- ]]> --><xml><Content>&a;</Content></xml>'
  const viaPi = '<?pi <![CDATA[ ?><!DOCTYPE xml [<!ENTITY a "AAAA">]><?pi ]]> ?><xml><Content>&a;</Content></xml>'
  t.equal(refused(parseWeChatXml(viaComment)), 'declaration', 'comment')
  t.equal(refused(parseWeChatXml(viaPi)), 'declaration', 'processing instruction')
})

test('C28 (whatever the guard does): entity references are never expanded', async (t) => {
  // The guard bypass above reaches the parser; this pins that even then nothing is expanded.
  const viaComment = '<!-- <![CDATA[ --><!DOCTYPE xml [<!ENTITY a "AAAA">]><!-- ]]> --><xml><Content>&a;</Content></xml>'
  const result = parseWeChatXml(viaComment)
  if (result.ok) t.equal(result.fields.Content, '&a;', 'kept literally')
  else t.pass('refused')
})

test('C33: DOCTYPE text inside CDATA is content, processed literally', async (t) => {
  const content = '<!DOCTYPE x [<!ENTITY a "b">]>&a; ]]&gt;'
  const fields = fieldsOf(t, textPush({ content }))
  t.equal(fields.Content, content, 'byte-exact, no expansion')
  t.equal(fieldsOf(t, textPush({ content: '<!ENTITY x "y">' })).Content, '<!ENTITY x "y">')
  t.equal(fieldsOf(t, '<xml><A><![CDATA[<!DOCTYPE a>]]></A><B><![CDATA[<!ENTITY b "c">]]></B></xml>').B, '<!ENTITY b "c">', 'two CDATA sections')
})

test('C34: character and entity references in text stay literal, quickly', async (t) => {
  t.equal(fieldsOf(t, '<xml><A>&#9999999;&#x110000;</A></xml>').A, '&#9999999;&#x110000;', 'out-of-range references')
  t.equal(fieldsOf(t, '<xml><A>&lt;&amp;&gt;&quot;&apos;</A></xml>').A, '&lt;&amp;&gt;&quot;&apos;', 'predefined entities')
  const many = '&#65;'.repeat(20_000)
  const result = guarded(t, '20,000 references', () => parseWeChatXml(`<xml><A>${many}</A></xml>`))
  t.same(result, { ok: true, fields: { A: many } })
})

test('C35: prototype-named elements are refused; hasOwnProperty is renamed and harmless', async (t) => {
  for (const name of ['__proto__', 'constructor', 'prototype']) {
    t.equal(parseWeChatXml(`<xml>${HEAD}<${name}><p>1</p></${name}></xml>`).ok, false, `<${name}> with a child`)
    t.equal(parseWeChatXml(`<xml>${HEAD}<${name}>1</${name}></xml>`).ok, false, `<${name}> with text`)
  }
  const result = parseWeChatXml(`<xml>${HEAD}<hasOwnProperty>1</hasOwnProperty></xml>`)
  t.ok(result.ok)
  if (result.ok) {
    t.equal(Object.hasOwn(result.fields, 'hasOwnProperty'), false, 'never an own hasOwnProperty')
    t.equal(typeof result.fields.hasOwnProperty, 'function', 'the method still works')
  }
  t.equal(({} as Record<string, unknown>).p, undefined, 'Object.prototype untouched')
})

test('C36: split CDATA joins to the original text', async (t) => {
  t.equal(fieldsOf(t, '<xml><Content><![CDATA[x]]]]><![CDATA[>y]]></Content></xml>').Content, 'x]]>y')
  t.equal(fieldsOf(t, '<xml><Content><![CDATA[a]]>b<![CDATA[c]]></Content></xml>').Content, 'abc', 'CDATA and text mix')
})

test('C37: numeric-looking strings are preserved byte for byte', async (t) => {
  const values = ['0x1A', '1e5', '007', '1.50', ' 12 ', '-0', '12345678901234567890', 'qrscene_123', '123', '0', 'true', 'null', '', '\n12\n']
  for (const value of values) {
    t.equal(fieldsOf(t, `<xml><Content><![CDATA[${value}]]></Content></xml>`).Content, value, `CDATA ${JSON.stringify(value)}`)
    t.equal(fieldsOf(t, `<xml><Content>${value}</Content></xml>`).Content, value, `bare ${JSON.stringify(value)}`)
  }
  t.equal(fieldsOf(t, textPush({ msgId: '9007199254740993' })).MsgId, '9007199254740993', 'MsgId beyond 2^53')
})

test('C41: a byte-order mark before the root is accepted', async (t) => {
  t.equal(fieldsOf(t, `\uFEFF${PUSHES.text}`).Content, 'this is a test')
})

test('C41: BOM followed by an XML declaration is processed normally', async (t) => {
  t.same(parseWeChatXml(`\uFEFF<?xml version="1.0" encoding="UTF-8"?>${PUSHES.text}`).ok, true)
})

test('an XML declaration and surrounding whitespace are accepted', async (t) => {
  t.equal(fieldsOf(t, `<?xml version="1.0" encoding="UTF-8"?>\n${PUSHES.text}\n`).Content, 'this is a test')
  t.same(fieldsOf(t, '<xml>\n  <A>1</A>\n  <B> 2 </B>\n</xml>'), { A: '1', B: ' 2 ' }, 'indentation between elements is not content')
})

test('C43: attributes, processing instructions and comments carry nothing', async (t) => {
  const fields = fieldsOf(t, '<xml a="1" __proto__="x" constructor="y"><?php x?><!-- c --><A b="2">1</A><!-- <B>2</B> --></xml>')
  t.same(fields, { A: '1' })
  t.equal(fields.a, undefined, 'no attribute becomes a field')
})

test('mixed text and elements are refused', async (t) => {
  t.equal(refused(parseWeChatXml('<xml>hi<A>1</A></xml>')), 'shape', 'text in the root')
  t.equal(refused(parseWeChatXml('<xml><![CDATA[hi]]><A>1</A></xml>')), 'shape', 'CDATA in the root')
  t.equal(refused(parseWeChatXml('<xml><A>x<B>1</B></A></xml>')), 'shape', 'text beside a nested element')
  t.equal(refused(parseWeChatXml('<xml><SendPicsInfo><PicList><item>x<P>1</P></item></PicList></SendPicsInfo></xml>')), 'shape', 'text in a list item')
})

test('empty and self-closing elements are empty strings', async (t) => {
  t.same(fieldsOf(t, '<xml><A/><B></B><C><![CDATA[]]></C></xml>'), { A: '', B: '', C: '' })
})

test('cdata() round-trips any text, including ]]>', async (t) => {
  const texts = [
    '', 'plain', ']]>', 'a]]>b', ']]>]]>]]>', ']]]]>>', 'x]]>', ']]>x', ']]', ']', '>', ']]]>', '<![CDATA[', '<![CDATA[x]]>',
    '你好，世界 😀👍🏽', 'tab\tnew\nline', '<xml><A>1</A></xml>', '&amp; &lt; &#65;', '  spaces  ', '\uFFFD', 'a'.repeat(5000) + ']]>'
  ]
  for (const text of texts) {
    const section = cdata(text)
    t.ok(section.startsWith('<![CDATA[') && section.endsWith(']]>'), `${JSON.stringify(text.slice(0, 30))} is a CDATA section`)
    t.equal(fieldsOf(t, `<xml><C>${section}</C></xml>`).C, text, `round trip ${JSON.stringify(text.slice(0, 30))}`)
  }
})

test('cdata() replaces what XML cannot carry with U+FFFD', async (t) => {
  const cases: Array<[string, string]> = [
    ['\u0000', '\uFFFD'],
    ['a\u0001b\u0008c', 'a\uFFFDb\uFFFDc'],
    ['\u000B\u000C', '\uFFFD\uFFFD'],
    ['\u000E\u001F', '\uFFFD\uFFFD'],
    ['\uFFFE\uFFFF', '\uFFFD\uFFFD'],
    ['lone \uD800 high', 'lone \uFFFD high'],
    ['lone \uDC00 low', 'lone \uFFFD low'],
    ['\uDC00\uD800', '\uFFFD\uFFFD'],
    ['end \uD83D', 'end \uFFFD']
  ]
  for (const [input, expected] of cases) {
    t.equal(cdata(input), `<![CDATA[${expected}]]>`, JSON.stringify(input))
    t.equal(fieldsOf(t, `<xml><C>${cdata(input)}</C></xml>`).C, expected)
  }
  t.equal(cdata('\t\n\r 😀'), '<![CDATA[\t\n\r 😀]]>', 'tab, newline, CR and surrogate pairs are kept')
})
