export interface Tag {
  id: number
  name: string
}

/** The account's fan tags; ids 0–2 are WeChat's own (星标组 is id 2) and cannot be changed. */
export interface TagRegistry {
  readonly tags: Map<number, Tag>
  create(name: string): Tag
  isSystem(id: number): boolean
}

const FIRST_OWN_ID = 100

export function createTagRegistry (): TagRegistry {
  const tags = new Map<number, Tag>([[2, { id: 2, name: '星标组' }]])
  let nextId = FIRST_OWN_ID
  return {
    tags,
    create (name) {
      const tag = { id: nextId++, name }
      tags.set(tag.id, tag)
      return tag
    },
    isSystem: (id) => id >= 0 && id <= 2
  }
}
