// The wemp sandbox's stand-in for WeChat's JS-SDK (jweixin-1.6.0.js), served at the same path as
// on res.wx.qq.com. It implements what wemp's pages use: wx.config, wx.ready, wx.error,
// wx.getLocation and wx.checkJsApi. The real SDK asks WeChat's native side; this one asks the
// sandbox that served it, which checks the signature against its own jsapi_ticket exactly as
// WeChat does, and answers getLocation as the console set it for the fan holding the phone.
// A classic script, like the real one: it sets window.wx and window.jWeixin.
(function () {
  'use strict'
  var script = document.currentScript
  var sandbox = new URL(script.src, location.href).origin
  var state = 'unconfigured' // then 'verifying', 'ready' or 'failed'
  var apis = []
  var failure
  var readyCallbacks = []
  var errorCallbacks = []

  function later (callback, value) {
    // A page's callback that throws must not stop the others, nor look like the SDK failing.
    setTimeout(function () { callback(value) }, 0)
  }

  function settle (errMsg) {
    if (errMsg === 'config:ok') {
      state = 'ready'
      readyCallbacks.forEach(function (callback) { later(callback) })
    } else {
      state = 'failed'
      failure = { errMsg: errMsg }
      errorCallbacks.forEach(function (callback) { later(callback, failure) })
    }
  }

  function text (value) {
    return value === undefined || value === null ? '' : String(value)
  }

  function answer (name, options, result) {
    var ok = result.errMsg === name + ':ok'
    var cancelled = result.errMsg === name + ':cancel'
    if (ok && typeof options.success === 'function') options.success(result)
    if (cancelled && typeof options.cancel === 'function') options.cancel(result)
    if (!ok && !cancelled && typeof options.fail === 'function') options.fail(result)
    if (typeof options.complete === 'function') options.complete(result)
  }

  var wx = {
    config: function (options) {
      options = options || {}
      state = 'verifying'
      failure = undefined
      apis = Array.isArray(options.jsApiList) ? options.jsApiList.slice() : []
      // The real SDK signs the URL of the page it runs on; so does the check here.
      var body = {
        appId: text(options.appId),
        timestamp: text(options.timestamp),
        nonceStr: text(options.nonceStr),
        signature: text(options.signature),
        url: location.href.split('#')[0],
        jsApiList: apis.map(text)
      }
      fetch(sandbox + '/sandbox/jssdk/verify', { method: 'POST', body: JSON.stringify(body) })
        .then(function (response) { return response.json() })
        .then(function (result) { settle(typeof result.errMsg === 'string' ? result.errMsg : 'config:fail') })
        .catch(function () { settle('config:fail') })
    },
    ready: function (callback) {
      if (typeof callback !== 'function') return
      readyCallbacks.push(callback)
      if (state === 'ready') later(callback)
    },
    error: function (callback) {
      if (typeof callback !== 'function') return
      errorCallbacks.push(callback)
      if (state === 'failed') later(callback, failure)
    },
    checkJsApi: function (options) {
      options = options || {}
      var checkResult = {}
      ;(options.jsApiList || []).forEach(function (name) { checkResult[name] = name === 'getLocation' })
      answer('checkJsApi', options, { errMsg: 'checkJsApi:ok', checkResult: checkResult })
    },
    // `type` (wgs84 or gcj02) is accepted and ignored: the console's places are GCJ-02 already.
    getLocation: function (options) {
      options = options || {}
      // Before a verified config, or without getLocation in jsApiList, WeChat refuses the call.
      if (state !== 'ready' || apis.indexOf('getLocation') === -1) {
        later(function () { answer('getLocation', options, { errMsg: 'getLocation:permission denied' }) })
        return
      }
      fetch(sandbox + '/sandbox/jssdk/location')
        .then(function (response) { return response.json() })
        .catch(function () { return { errMsg: 'getLocation:fail' } })
        .then(function (result) { answer('getLocation', options, result) })
    }
  }

  window.wx = wx
  window.jWeixin = wx
})()
