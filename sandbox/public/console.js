// The chat console's page script: drives /api/* and renders exchanges like WeChat would.
// All text from fans, servers or replies goes through textContent, never innerHTML.
import { customMessageNode, mediaNode, noticeNode } from './console-cards.js'
import { createMenuBar, describeButton } from './console-menu.js'
import { createQrPanel } from './console-qrcodes.js'

const $ = (id) => document.getElementById(id)
const chatBox = $('chat')
const chats = new Map()
let session
// The account written to and the fan writing; each (account, fan) pair is its own chat.
let account
let current
let currentKey
let customAfter = 0
const noticesAfter = { templates: 0, subscribe: 0 }
let menuBar
let qrPanel

function el (tag, className, text) {
  const node = document.createElement(tag)
  if (className) node.className = className
  if (text !== undefined) node.textContent = text
  return node
}

const chatKey = (openid, accountId = account.id) => `${accountId} ${openid}`

function chatFor (key) {
  if (!chats.has(key)) chats.set(key, document.createDocumentFragment())
  return chats.get(key)
}

function target (openid, accountId) {
  const key = chatKey(openid, accountId)
  return key === currentKey ? chatBox : chatFor(key)
}

function accountById (id) {
  return session.accounts.find((a) => a.id === id) ?? account
}

function scrollDown () { chatBox.scrollTop = chatBox.scrollHeight }

function nickname (openid) {
  return session.fans.find((f) => f.openid === openid)?.nickname ?? openid
}

function row (openid, side, content, accountId = account.id) {
  const r = el('div', `row ${side}`)
  r.append(el('div', 'avatar', side === 'fan' ? nickname(openid).slice(0, 1) : accountById(accountId).name.slice(0, 1)), content)
  target(openid, accountId).append(r)
  scrollDown()
  return r
}

function system (openid, text, why, error) {
  const s = el('div', error ? 'system error' : 'system', text)
  if (why) s.append(el('span', 'why', why))
  target(openid).append(s)
  scrollDown()
}

function card (title, desc, extra) {
  const c = el('div', 'card')
  if (extra) c.append(extra)
  c.append(el('div', 'title', title))
  if (desc) c.append(el('div', 'desc', desc))
  return c
}

function showFanAction (openid, action) {
  const name = nickname(openid)
  switch (action.kind) {
    case 'text': return row(openid, 'fan', el('div', 'bubble', action.content))
    case 'location': return row(openid, 'fan', card(action.label, `${action.latitude}, ${action.longitude}`, el('div', 'map')))
    case 'image': return row(openid, 'fan', el('div', 'media', '[图片]'))
    case 'voice': return row(openid, 'fan', el('div', 'bubble', '3″ 🔊'))
    case 'link': return row(openid, 'fan', card(action.title ?? action.url, action.url))
    case 'subscribe': return system(openid, action.scene ? `${name} 扫描二维码（场景 ${action.scene}）关注了公众号` : `${name} 关注了公众号`)
    case 'unsubscribe': return system(openid, `${name} 取消关注了公众号`)
    case 'scan': return system(openid, `${name} 扫描了二维码（场景 ${action.scene}）`)
    case 'click': return system(openid, `${name} 点击了菜单（key ${action.key}）`)
    case 'view': return system(openid, `${name} 点击了菜单链接 ${action.url}`)
  }
}

function showReply (openid, reply) {
  switch (reply.type) {
    case 'text': return row(openid, 'account', el('div', 'bubble', reply.content))
    case 'news': {
      const [first, ...rest] = reply.articles
      const c = el('div', 'card news')
      c.append(el('div', 'news-cover', first.title))
      if (rest.length === 0 && first.description) c.append(el('div', 'desc', first.description))
      for (const a of rest) c.append(el('div', 'news-item', a.title))
      return row(openid, 'account', c)
    }
    // Media the account uploaded show as themselves; an id the platform does not know says so.
    case 'image': return row(openid, 'account', mediaNode(reply.mediaId, 'image'))
    case 'voice': return row(openid, 'account', mediaNode(reply.mediaId, 'voice'))
    case 'video': return row(openid, 'account', mediaNode(reply.mediaId, 'video', reply.title))
    case 'music': return row(openid, 'account', card(`🎵 ${reply.title ?? '音乐'}`, reply.description ?? reply.musicUrl ?? ''))
    case 'transfer_customer_service':
      return system(openid, reply.kfAccount ? `消息已转接到客服 ${reply.kfAccount}` : '消息已转接到客服')
  }
}

function showDetails (openid, x) {
  const d = el('details', 'exchange')
  const retries = x.attempts.length - 1
  d.append(el('summary', '', `详情 · ${x.durationMs} ms · ${{ plain: '明文', compatible: '兼容', safe: '安全' }[x.mode]}模式${retries > 0 ? ` · 重试 ${retries} 次` : ''}`))
  const section = (title, text) => { if (text) d.append(el('h4', '', title), el('pre', '', text)) }
  section('投递', x.attempts.map((a) => `#${a.number} ${a.result}${a.status ? ` HTTP ${a.status}` : ''} ${a.durationMs} ms${a.error ? ` — ${a.error}` : ''}`).join('\n'))
  section('请求 URL（最后一次）', x.attempts.at(-1).url)
  section(x.mode === 'plain' ? '请求 XML' : '请求 XML（加密后）', x.requestBody)
  if (x.mode !== 'plain') section('请求 XML（明文）', x.pushXml)
  section('回复', x.replyBody)
  section('回复（解密后）', x.decryptedReply)
  if (x.signature) {
    const s = el('p', x.signature.ok ? 'sig-ok' : 'sig-bad', x.signature.ok ? `✓ MsgSignature 校验通过 ${x.signature.given}` : `✗ MsgSignature 不匹配：收到 ${x.signature.given}，应为 ${x.signature.expected}`)
    d.append(s)
  }
  target(openid).append(d)
  scrollDown()
}

function showExchange (openid, x) {
  if (x.result.kind === 'reply') showReply(openid, x.result.reply)
  else if (x.result.kind !== 'silent') system(openid, '该公众号暂时无法提供服务，请稍后再试', x.result.reason, true)
  showDetails(openid, x)
}

async function api (path, body) {
  const response = await fetch(path, body === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const json = await response.json()
  if (!response.ok) throw new Error(json.message ?? json.error ?? `HTTP ${response.status}`)
  return json
}

async function send (action) {
  const openid = current
  const to = account
  showFanAction(openid, action)
  const pending = el('div', 'pending', '等待公众号回复…')
  target(openid).append(pending)
  const started = Date.now()
  const ticker = setInterval(() => { pending.textContent = `等待公众号回复… ${Math.floor((Date.now() - started) / 1000)} s` }, 1000)
  try {
    const exchange = await api('/api/send', { account: to.id, openid, action, mode: $('mode').value })
    // The fan may have switched chats meanwhile: the answer goes to the chat it was sent from.
    if (to === account) showExchange(openid, exchange)
  } catch (error) {
    system(openid, `沙箱出错：${error.message}`, undefined, true)
  } finally {
    clearInterval(ticker)
    pending.remove()
    if (action.kind === 'subscribe' || action.kind === 'unsubscribe') loadFollow(openid)
  }
}

// Where the fan stands with the account: a QR scan subscribes a fan who does not follow yet.
async function loadFollow (openid) {
  try {
    const { following } = await api(`/api/follow?account=${encodeURIComponent(account.id)}&openid=${encodeURIComponent(openid)}`)
    if (openid === current) $('follow-state').textContent = `${nickname(openid)} ${following ? '已关注' : '未关注'} ${account.name}`
  } catch (error) {
    $('follow-state').textContent = `沙箱出错：${error.message}`
  }
}

async function loadMenu () {
  try {
    const menu = await api(`/api/menu?account=${encodeURIComponent(account.id)}&openid=${encodeURIComponent(current)}`)
    menuBar.show(menu.button)
  } catch {
    // The sandbox restarting: the next tick tries again.
  }
}

// A tap on a menu button: CLICK and VIEW go to the server; a media button shows its material.
function tapMenu (button) {
  if (button.type === 'click') return send({ kind: 'click', key: button.key })
  if (button.type === 'view') {
    window.open(button.url, '_blank', 'noopener')
    return send({ kind: 'view', url: button.url })
  }
  if (button.type === 'media_id') return row(current, 'account', mediaNode(button.media_id, 'image'))
  system(current, `${nickname(current)} 点击了「${button.name}」（${describeButton(button)}）：沙箱不推送这类按钮的事件`)
}

function selectFan (openid) {
  if (currentKey !== undefined) {
    const saved = document.createDocumentFragment()
    saved.append(...chatBox.childNodes)
    chats.set(currentKey, saved)
  }
  current = openid
  currentKey = chatKey(openid)
  chatBox.replaceChildren(chatFor(currentKey))
  chats.delete(currentKey)
  $('fan').value = openid
  $('message').placeholder = `以 ${nickname(openid)} 的身份发消息`
  scrollDown()
  loadJssdk(openid)
  loadFollow(openid)
  loadMenu()
}

// What wx.getLocation answers on the phone of the fan shown (the stand-in JS-SDK asks the sandbox).
function showJssdk (setting) {
  $('jssdk-place').value = setting.place
  $('jssdk-denied').checked = setting.denied
  $('jssdk-state').textContent = setting.denied
    ? `${nickname(setting.openid)} 拒绝了定位：getLocation:fail auth deny`
    : `${nickname(setting.openid)} 的 wx.getLocation 得到 ${setting.place}`
}

async function loadJssdk (openid) {
  try {
    const setting = await api(`/api/jssdk-location?openid=${encodeURIComponent(openid)}`)
    if (openid === current) showJssdk(setting)
  } catch (error) {
    $('jssdk-state').textContent = `沙箱出错：${error.message}`
  }
}

async function saveJssdk () {
  try {
    showJssdk(await api('/api/jssdk-location', { openid: current, place: $('jssdk-place').value, denied: $('jssdk-denied').checked }))
  } catch (error) {
    $('jssdk-state').textContent = `沙箱出错：${error.message}`
  }
}

function fillFans () {
  $('fan').replaceChildren(...session.fans.map((f) => { const o = el('option', '', f.nickname); o.value = f.openid; return o }))
}

const PROMPTS = {
  link: ['链接 URL', 'https://mp.weixin.qq.com/s/sandbox', (v) => ({ kind: 'link', url: v, title: v })],
  scan: ['二维码场景值', '123', (v) => ({ kind: 'scan', scene: v })],
  subscribe: ['二维码场景值（留空为普通关注）', '', (v) => (v ? { kind: 'subscribe', scene: v } : { kind: 'subscribe' })],
  click: ['菜单 key', 'V1001_TODAY_MUSIC', (v) => ({ kind: 'click', key: v })],
  view: ['菜单链接', 'https://example.com/menu', (v) => ({ kind: 'view', url: v })]
}
let pendingPrompt

function onPanelAction (kind) {
  $('places').hidden = kind !== 'location'
  $('panel-form').hidden = !(kind in PROMPTS)
  if (kind in PROMPTS) {
    const [label, value] = PROMPTS[kind]
    pendingPrompt = kind
    $('panel-label').textContent = label
    $('panel-input').value = value
    $('panel-input').focus()
  } else if (kind !== 'location') {
    $('panel').hidden = true
    send({ kind })
  }
}

async function pollCustomMessages () {
  try {
    const { next, messages } = await api(`/api/custom-messages?after=${customAfter}`)
    customAfter = next
    for (const m of messages) {
      const from = session.accounts.find((a) => a.appId === m.appId) ?? account
      row(m.touser, 'account', customMessageNode(m), from.id)
    }
  } catch {
    // The sandbox restarting: try again on the next tick.
  }
}

async function pollNotices () {
  try {
    const feed = await api(`/api/notices?templates=${noticesAfter.templates}&subscribe=${noticesAfter.subscribe}`)
    noticesAfter.templates = feed.templates.next
    noticesAfter.subscribe = feed.subscribe.next
    for (const notice of [...feed.templates.items, ...feed.subscribe.items]) {
      const from = session.accounts.find((a) => a.appId === notice.appId) ?? account
      row(notice.touser, 'account', noticeNode(notice), from.id)
    }
  } catch {
    // As for customer-service messages.
  }
}

function tick () {
  pollCustomMessages()
  pollNotices()
  loadMenu()
  qrPanel.refresh().catch(() => {})
}

function selectAccount (id) {
  account = accountById(id)
  $('account').value = account.id
  $('account-name').textContent = account.name
  $('server-url').textContent = account.serverUrl
  $('mode').value = account.mode
  $('no-customer-service').checked = !account.customerService
  if (current !== undefined) selectFan(current)
  qrPanel.reset().catch(() => {})
}

async function start () {
  session = await api('/api/session')
  menuBar = createMenuBar({ bar: $('menubar'), buttons: $('menu-buttons'), popup: $('submenu'), composer: $('composer'), toKeyboard: $('menu-to-keyboard'), toMenu: $('keyboard-to-menu'), act: tapMenu })
  qrPanel = createQrPanel({
    select: $('qr-select'),
    scanButton: $('qr-scan'),
    status: $('qr-state'),
    api,
    context: () => ({ account: account.id, openid: current }),
    onScanned: (openid, { action, exchange }) => {
      showFanAction(openid, action)
      showExchange(openid, exchange)
      loadFollow(openid)
    }
  })
  $('account').replaceChildren(...session.accounts.map((a) => { const o = el('option', '', `${a.name}（${a.id}）`); o.value = a.id; return o }))
  $('account-picker').hidden = session.accounts.length < 2
  selectAccount(session.accounts[0].id)
  $('jssdk-place').replaceChildren(...session.places.map((p) => { const o = el('option', '', p.label); o.value = p.label; return o }))
  fillFans()
  selectFan(session.currentOpenid)
  $('places').replaceChildren(...session.places.map((p) => {
    const b = el('button', '', p.label)
    b.type = 'button'
    b.addEventListener('click', () => { $('panel').hidden = true; send({ kind: 'location', latitude: p.latitude, longitude: p.longitude, label: p.label }) })
    return b
  }))
  $('fan').addEventListener('change', () => selectFan($('fan').value))
  $('account').addEventListener('change', () => selectAccount($('account').value))
  $('jssdk-place').addEventListener('change', saveJssdk)
  $('jssdk-denied').addEventListener('change', saveJssdk)
  $('no-customer-service').addEventListener('change', async () => {
    const box = $('no-customer-service')
    try {
      const allowed = (await api('/api/customer-service', { account: account.id, allowed: !box.checked })).customerService
      account.customerService = allowed
      box.checked = !allowed
    } catch (error) {
      system(current, `沙箱出错：${error.message}`, undefined, true)
    }
  })
  $('composer').addEventListener('submit', (event) => {
    event.preventDefault()
    const content = $('message').value
    if (content.trim() === '') return
    $('message').value = ''
    send({ kind: 'text', content })
  })
  $('more').addEventListener('click', () => { $('panel').hidden = !$('panel').hidden })
  for (const b of document.querySelectorAll('[data-action]')) b.addEventListener('click', () => onPanelAction(b.dataset.action))
  $('panel-form').addEventListener('submit', (event) => {
    event.preventDefault()
    $('panel').hidden = true
    $('panel-form').hidden = true
    send(PROMPTS[pendingPrompt][2]($('panel-input').value.trim()))
  })
  $('new-fan').addEventListener('submit', async (event) => {
    event.preventDefault()
    const name = $('new-fan-name').value.trim()
    if (name === '') return
    const fan = await api('/api/fans', { nickname: name })
    session.fans.push(fan)
    $('new-fan-name').value = ''
    fillFans()
    selectFan(fan.openid)
  })
  // A menu message's item, tapped, comes back to the account as a text message.
  chatBox.addEventListener('click', (event) => {
    const item = event.target.closest('.msgmenu-item')
    if (item) send({ kind: 'text', content: item.dataset.reply })
  })
  await qrPanel.refresh().catch(() => {})
  setInterval(tick, 1000)
  document.body.dataset.ready = 'true'
}

start()
