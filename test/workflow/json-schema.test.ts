// docs/schemas/workflow.schema.json is generated from the zod definition (src/workflow/schema.ts) and
// pinned here: a change to the format shows up as a diff, and `vitest -u` refreshes the file.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { toJSONSchema } from 'zod/mini'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { contractProblems } from '../../src/manifest/validate-contract.ts'
import { WorkflowSchema } from '../../src/workflow/index.ts'
import { EXAMPLE_WORKFLOWS } from '../helpers/workflows.ts'

const SCHEMA = '../../docs/schemas/workflow.schema.json'

describe('workflow.schema.json', () => {
  it('is generated from the zod definition', async () => {
    const json = {
      title: 'Switchboard workflow',
      ...toJSONSchema(WorkflowSchema, { io: 'input', unrepresentable: 'any' }),
    }
    await expect(`${JSON.stringify(json, null, 2)}\n`).toMatchFileSnapshot(SCHEMA)
  })

  it('is what the example workflows point at with $schema, and accepts them (editors validate with it)', () => {
    const schema = JSON.parse(readFileSync(join(import.meta.dirname, SCHEMA), 'utf8')) as Record<string, unknown>
    for (const file of EXAMPLE_WORKFLOWS) {
      const value = parse(readFileSync(file, 'utf8'))
      expect(value.$schema).toBe('../../../docs/schemas/workflow.schema.json')
      expect(contractProblems(schema, value)).toEqual([])
    }
    expect(contractProblems(schema, { steps: [{ id: 'a', invokes: {} }] })).not.toEqual([])
  })
})
