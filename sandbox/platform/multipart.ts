import type { FastifyRequest } from 'fastify'

export interface UploadedFile {
  filename: string
  contentType: string
  bytes: Buffer
}

export interface UploadForm {
  /** The `media` part WeChat's upload APIs read, if it is a file. */
  media: UploadedFile | undefined
  /** Other text parts, e.g. a permanent video's `description`. */
  fields: Map<string, string>
}

/**
 * The multipart body of an upload, parsed by the platform's own Web API (the same parser fetch
 * uses). A body that is not multipart, or is malformed, has no parts.
 */
export async function readUploadForm (request: FastifyRequest): Promise<UploadForm> {
  const fields = new Map<string, string>()
  const contentType = request.headers['content-type'] ?? ''
  if (!Buffer.isBuffer(request.body) || !contentType.startsWith('multipart/form-data')) return { media: undefined, fields }
  let form: FormData
  try {
    form = await new Response(new Uint8Array(request.body), { headers: { 'content-type': contentType } }).formData()
  } catch {
    return { media: undefined, fields }
  }
  let media: UploadedFile | undefined
  for (const [name, value] of form) {
    if (typeof value === 'string') fields.set(name, value)
    else if (name === 'media') media = { filename: value.name, contentType: value.type, bytes: Buffer.from(await value.arrayBuffer()) }
  }
  return { media, fields }
}
