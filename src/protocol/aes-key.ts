const ENCODING_AES_KEY_FORMAT = /^[A-Za-z0-9]{43}$/

/** True when `value` has the shape WeChat issues for an EncodingAESKey: 43 chars of [A-Za-z0-9]. */
export function isEncodingAesKey (value: string): boolean {
  return ENCODING_AES_KEY_FORMAT.test(value)
}

/**
 * AESKey = Base64_Decode(EncodingAESKey + "="): 32 bytes for AES-256-CBC; the IV is its first 16.
 * The 43rd character carries 2 bits that base64 discards, so two keys differing only there decode
 * to the same AES key; WeChat's own keys (and the official sample's) have those bits set, so they
 * are accepted rather than rejected as non-canonical. 43 x 'A' (an all-zero key) is legal.
 * Throws a TypeError for anything else; the message never echoes the key.
 */
export function parseEncodingAesKey (encodingAesKey: string): Buffer {
  if (!isEncodingAesKey(encodingAesKey)) {
    throw new TypeError('EncodingAESKey must be exactly 43 characters from [A-Za-z0-9]')
  }
  // 43 base64 characters plus one '=' always decode to exactly 32 bytes.
  return Buffer.from(encodingAesKey + '=', 'base64')
}
