/**
 * Whether a weather text asks something the skill can answer. A remark about the weather
 * (今天天气真好啊，心情不错) is conversation, and so is a question about a span the forecast cannot
 * name one day for (我下周去成都出差): both are left to the next rule (a language model, the echo).
 * Callers pass the text with place names and day words blanked: 太原 and 哈尔滨 hold markers.
 */

/** Any of these makes a text a question, whatever else it says: 吗, 怎么样, 冷不冷, 查一下… */
const ASKING = /[吗嗎嘛么麼呢？?]|怎|如何|几|多少|什么|啥|哪|是否|会不会|要不要|是不是|有没有|能不能|用不用|需不需要|([\p{Script=Han}])不\1|查|[预預][报報]|告诉|请问|帮我|看看|想知道|了解/u

/**
 * Exclamations, judgements and news: 真好, 太热了, 不错, 下雨了, 好冷啊. Only counted without an
 * asking cue, so 天气真好，明天会下雨吗 is still a question. 了 before 解 is 了解 (asking).
 */
const REMARK = /真|太|很|挺|非常|特别|不错|舒服|糟糕|讨厌|喜欢|爱|[啊呀哇啦耶哦哈]|[！!。~～]|了(?![解吗嗎])|好[冷热熱晴美棒]/

/** 下周 / 下个星期 / 下个月 without a day: a whole span, which the skill would misread as today. */
const VAGUE_PERIOD = /下+个?(?:周|星期|礼拜|禮拜|週)(?![一二三四五六日天末])|下+个?月/

/** True when the (blanked) text remarks on the weather without asking about it. */
export function isRemark (text: string): boolean {
  return REMARK.test(text) && !ASKING.test(text)
}

/** True when the text asks about a span (下周, 下个月) rather than a day. */
export function namesVaguePeriod (text: string): boolean {
  return VAGUE_PERIOD.test(text)
}
