// The profile page's location: WeChat's JS-SDK inside WeChat, the browser's Geolocation API
// elsewhere. The point goes to the server, and the line it answers with is shown as text.
//
// The page provides, in <section id="location">:
//   data-csrf               the session's CSRF token
//   data-jssdk-config-url   GET ?url=<page URL without #fragment> → { appId, timestamp, nonceStr, signature }
//   data-post-url           POST JSON { latitude, longitude, source: 'jssdk'|'browser', csrf } → { line }
// and optionally [data-location-line] (the last location, rendered by the server),
// [data-location-status] and button[data-location-retry]; missing ones are created.
// The section's data-state becomes locating, located or failed; data-problem says why it failed.
// window.wx present means "use the JS-SDK": the page loads the SDK only where it works (WeChat's
// own browser, or the sandbox's stand-in in development), so a desktop browser never waits on it.
// Plain ES2017, no build step, no inline handlers, no eval; all text goes in through textContent.
'use strict'
;(() => {
  // iOS WeChat signs the URL a page landed on (for a single-page app, not the current one):
  // taken once, before anything could change the address.
  const LANDING_URL = location.href.split('#')[0]
  const ATTEMPT_TIMEOUT_MS = 20000
  const TEXT = {
    locatingWechat: '正在通过微信获取你的位置…',
    locatingBrowser: '不在微信中，正在使用浏览器定位…',
    locatedWechat: '位置来自微信定位。',
    locatedBrowser: '位置来自浏览器定位（不在微信中）。',
    denied: '你没有允许获取位置。可以在设置中允许后点“重新定位”。',
    config: '微信定位暂时不可用（JS-SDK 配置失败），请稍后再试。',
    network: '网络连接失败，位置没有更新，请稍后再试。',
    unsupported: '这个浏览器不支持定位。',
    unavailable: '暂时无法获取你的位置，请稍后再试。',
    cancelled: '已取消定位。',
    session: '页面已过期，请刷新后重试。',
    rejected: '位置没有保存成功，请稍后再试。'
  }

  const section = document.getElementById('location')
  if (section === null) return
  const csrf = section.dataset.csrf || ''
  const configUrl = section.dataset.jssdkConfigUrl || '/jssdk/config'
  const postUrl = section.dataset.postUrl || '/profile/location'

  function part (selector, tag, attribute) {
    const found = section.querySelector(selector)
    if (found !== null) return found
    const made = document.createElement(tag)
    made.setAttribute(attribute, '')
    section.append(made)
    return made
  }
  const line = part('[data-location-line]', 'p', 'data-location-line')
  const status = part('[data-location-status]', 'p', 'data-location-status')
  const retry = part('button[data-location-retry]', 'button', 'data-location-retry')
  retry.type = 'button'
  if (retry.textContent === '') retry.textContent = '重新定位'
  retry.hidden = true

  let attempt = 0
  let timer

  /** Runs `effect` only while `mine` is still the current attempt: late answers are dropped. */
  function current (mine, effect) {
    return (value) => { if (mine === attempt) effect(value) }
  }

  function show (state, message, problem) {
    section.dataset.state = state
    if (problem === undefined) delete section.dataset.problem
    else section.dataset.problem = problem
    status.textContent = message
    retry.hidden = state !== 'failed' || problem === 'unsupported'
  }

  function fail (problem) {
    clearTimeout(timer)
    attempt++
    show('failed', TEXT[problem], problem)
  }

  function sixDecimals (value) {
    return Math.round(Number(value) * 1e6) / 1e6
  }

  async function report (mine, latitude, longitude, source) {
    const body = { latitude: sixDecimals(latitude), longitude: sixDecimals(longitude), source, csrf }
    if (!Number.isFinite(body.latitude) || !Number.isFinite(body.longitude)) return fail('unavailable')
    let response
    try {
      response = await fetch(postUrl, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body)
      })
    } catch (error) {
      if (mine === attempt) fail('network')
      return
    }
    if (mine !== attempt) return
    if (response.status === 401 || response.status === 403) return fail('session')
    let answer
    try {
      answer = response.ok ? await response.json() : undefined
    } catch (error) {
      answer = undefined
    }
    if (mine !== attempt) return
    if (answer === undefined || answer === null || typeof answer.line !== 'string') return fail('rejected')
    clearTimeout(timer)
    line.textContent = answer.line
    show('located', source === 'jssdk' ? TEXT.locatedWechat : TEXT.locatedBrowser)
  }

  /** wx.getLocation's fail: the fan said no ("auth deny"), or the config never allowed the call. */
  function getLocationProblem (result) {
    const errMsg = String(result && result.errMsg)
    if (/auth den(y|ied)/i.test(errMsg)) return 'denied'
    return /permission denied/i.test(errMsg) ? 'config' : 'unavailable'
  }

  // wx.ready and wx.error are registered once; each hands over to the attempt running then.
  let onReady = () => {}
  let onError = () => {}
  let wxHooked = false

  async function viaJssdk (mine) {
    show('locating', TEXT.locatingWechat)
    let signed
    try {
      const response = await fetch(`${configUrl}?url=${encodeURIComponent(LANDING_URL)}`, { credentials: 'same-origin' })
      signed = response.ok ? await response.json() : undefined
    } catch (error) {
      // fetch rejects with a TypeError when the network fails; anything else is a bad answer.
      if (mine === attempt) fail(error instanceof TypeError ? 'network' : 'config')
      return
    }
    if (mine !== attempt) return
    if (signed === undefined || signed === null) return fail('config')
    onReady = current(mine, () => {
      window.wx.getLocation({
        type: 'gcj02',
        success: current(mine, (result) => { report(mine, result.latitude, result.longitude, 'jssdk') }),
        fail: current(mine, (result) => fail(getLocationProblem(result))),
        cancel: current(mine, () => fail('cancelled'))
      })
    })
    onError = current(mine, () => fail('config'))
    if (!wxHooked) {
      wxHooked = true
      window.wx.ready(() => onReady())
      window.wx.error((result) => onError(result))
    }
    window.wx.config({
      debug: false,
      appId: signed.appId,
      timestamp: signed.timestamp,
      nonceStr: signed.nonceStr,
      signature: signed.signature,
      jsApiList: ['getLocation']
    })
  }

  function viaBrowser (mine) {
    if (!('geolocation' in navigator)) return fail('unsupported')
    show('locating', TEXT.locatingBrowser)
    navigator.geolocation.getCurrentPosition(
      current(mine, (position) => { report(mine, position.coords.latitude, position.coords.longitude, 'browser') }),
      current(mine, (error) => fail(error.code === 1 ? 'denied' : 'unavailable')),
      { enableHighAccuracy: false, timeout: ATTEMPT_TIMEOUT_MS - 2000, maximumAge: 60000 }
    )
  }

  function locate () {
    clearTimeout(timer)
    const mine = ++attempt
    timer = setTimeout(current(mine, () => fail('unavailable')), ATTEMPT_TIMEOUT_MS)
    const wx = window.wx
    if (typeof wx === 'object' && wx !== null && typeof wx.config === 'function') viaJssdk(mine)
    else viaBrowser(mine)
  }

  retry.addEventListener('click', locate)
  locate()
})()
