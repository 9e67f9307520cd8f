// Cards for what the account sends outside a passive reply: every kind of customer-service
// message, template messages and subscription notices, and media by id. Text via textContent only.

export function el (tag, className, text) {
  const node = document.createElement(tag)
  if (className) node.className = className
  if (text !== undefined) node.textContent = text
  return node
}

function card (title, desc, className = '') {
  const c = el('div', `card ${className}`.trim())
  c.append(el('div', 'title', title))
  if (desc) c.append(el('div', 'desc', desc))
  return c
}

const MEDIA_WORDS = { image: '图片', thumb: '缩略图', voice: '语音', video: '视频' }

/**
 * A medium the account sends by media_id: the uploaded file itself when the platform has it
 * (an image shows as the image), else its id and that the platform does not know it.
 */
export function mediaNode (mediaId, expected = 'image', title) {
  const box = el('div', `media-card ${expected}`)
  box.dataset.mediaId = mediaId
  const label = el('div', 'media-label', `${MEDIA_WORDS[expected] ?? expected} ${title ?? mediaId}`)
  box.append(label)
  fetch(`/api/media/${encodeURIComponent(mediaId)}`).then(async (response) => {
    if (!response.ok) {
      box.classList.add('missing')
      label.textContent = `${MEDIA_WORDS[expected] ?? expected} ${mediaId}（平台上没有这个素材）`
      return
    }
    const media = await response.json()
    label.textContent = `${MEDIA_WORDS[media.type] ?? media.type} ${title ?? media.title ?? media.filename}${media.permanent ? '（永久素材）' : ''}`
    if (media.type === 'image' || media.type === 'thumb') {
      const img = el('img', 'media-image')
      img.alt = media.filename
      img.src = `/api/media/${encodeURIComponent(mediaId)}/file`
      box.prepend(img)
    }
  }).catch(() => { box.classList.add('missing') })
  return box
}

/** A customer-service message (message/custom/send's body), as its kind shows in the chat. */
export function customMessageNode (m) {
  const part = m.body[m.msgtype] ?? {}
  switch (m.msgtype) {
    case 'text': return el('div', 'bubble kf', m.content)
    case 'image': return withKf(mediaNode(part.media_id, 'image'))
    case 'voice': return withKf(mediaNode(part.media_id, 'voice'))
    case 'video': return withKf(mediaNode(part.media_id, 'video', part.title))
    case 'music': return withKf(card(`🎵 ${part.title ?? '音乐'}`, part.description ?? part.musicurl))
    case 'news': {
      const [article = {}] = part.articles ?? []
      const c = card(article.title ?? '', article.description, 'news kf-news')
      c.append(el('div', 'url', article.url ?? ''))
      return withKf(c)
    }
    case 'mpnews': return withKf(card('图文消息', `素材 ${part.media_id}`, 'news'))
    case 'mpnewsarticle': return withKf(card('已发布的文章', `article_id ${part.article_id}`, 'news'))
    case 'msgmenu': return withKf(menuMessage(part))
    case 'wxcard': return withKf(card('🎫 卡券', `card_id ${part.card_id}`))
    case 'miniprogrampage': return withKf(card(`小程序 · ${part.title ?? ''}`, `${part.appid} ${part.pagepath}`, 'miniprogram'))
    default: return el('div', 'bubble kf', `[${m.msgtype} 客服消息]`)
  }
}

// A menu message: the fan taps an item, which WeChat sends back as a text message.
function menuMessage (part) {
  const c = el('div', 'card msgmenu')
  if (part.head_content) c.append(el('div', 'desc', part.head_content))
  for (const item of part.list ?? []) {
    const b = el('button', 'msgmenu-item', item.content)
    b.type = 'button'
    b.dataset.reply = item.content
    c.append(b)
  }
  if (part.tail_content) c.append(el('div', 'desc', part.tail_content))
  return c
}

function withKf (node) {
  node.classList.add('kf-card')
  return node
}

/** A template message or subscription notice: its title, its filled-in lines, where a tap goes. */
export function noticeNode (notice) {
  const c = el('div', `card notice ${notice.kind}`)
  c.append(el('div', 'notice-kind', notice.kind === 'template' ? '模板消息' : '订阅通知'))
  c.append(el('div', 'title', notice.title))
  for (const line of notice.lines) c.append(el('div', 'notice-line', line))
  if (notice.link) c.append(el('div', 'url', `详情 ${notice.link}`))
  return c
}
