/**
 * WeChat pads with PKCS#7 over a 32-byte block (K = 32), not AES's 16, so a stock AES padding
 * mode rejects or produces different output for pad values 17..32. The cipher runs with
 * auto padding off and these two functions do the padding.
 */
export const WECHAT_PAD_BLOCK = 32

/** How many pad bytes follow `length` bytes of data: n = 32 - length % 32, each of value n (1..32; a whole block when aligned). */
export function pkcs7PadCount32 (length: number): number {
  return WECHAT_PAD_BLOCK - (length % WECHAT_PAD_BLOCK)
}

/**
 * The data without its padding, or undefined when the padding is malformed: last byte outside
 * 1..32, longer than the data, or any pad byte different from it. The official sample instead
 * treats an out-of-range value as "no padding"; accepting that would let garbage through.
 */
export function pkcs7Unpad32 (data: Buffer): Buffer | undefined {
  const n = data.at(-1)
  if (n === undefined || n < 1 || n > WECHAT_PAD_BLOCK || n > data.length) return undefined
  for (let i = data.length - n; i < data.length - 1; i++) {
    if (data[i] !== n) return undefined
  }
  return data.subarray(0, data.length - n)
}
