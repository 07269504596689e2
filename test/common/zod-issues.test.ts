import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { issueMessage } from '../../src/common/zod-issues.ts'

describe('issueMessage', () => {
  const issues = (schema: z.ZodType, value: unknown) => schema.safeParse(value).error!.issues.map(issueMessage)
  it("words zod's wrong-type messages as what to write, and a missing field as missing", () => {
    const schema = z.object({ callable: z.boolean(), version: z.string(), calls: z.array(z.string()) })
    expect(issues(schema, { callable: 'yes', version: 1 })).toEqual([
      'expected true or false, not text',
      'expected text, not a number',
      'missing: write a list',
    ])
  })

  it("keeps a schema's own wording", () => {
    expect(issues(z.boolean({ error: 'callable is true or false' }), 'yes')).toEqual(['callable is true or false'])
  })
})
