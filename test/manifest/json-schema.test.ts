// The capability manifest's JSON Schema files are generated from the zod schemas and pinned here:
// a change to a schema shows up as a diff of docs/schemas/*.json, and `vitest -u` refreshes them.
import { z } from 'zod'
import { describe, expect, it } from 'vitest'
import { OrchestrationSchema, PluginOrchestrationSchema } from '../../src/manifest/index.ts'
import { ComponentSchema } from '../../src/registry/index.ts'

function schemaFile(schema: z.ZodType, title: string): string {
  const json = { title, ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) }
  return `${JSON.stringify(json, null, 2)}\n`
}

describe('published JSON Schemas', () => {
  it('orchestration.schema.json: the orchestration block of a component', async () => {
    await expect(schemaFile(OrchestrationSchema, 'Switchboard orchestration block')).toMatchFileSnapshot(
      '../../docs/schemas/orchestration.schema.json',
    )
  })

  it('switchboard.schema.json: the plugin-level .claude-plugin/switchboard.json', async () => {
    await expect(schemaFile(PluginOrchestrationSchema, 'Switchboard plugin file')).toMatchFileSnapshot(
      '../../docs/schemas/switchboard.schema.json',
    )
  })

  it('registry-component.schema.json: one entry of `switchboard registry --json`', async () => {
    await expect(schemaFile(ComponentSchema, 'Switchboard registry component')).toMatchFileSnapshot(
      '../../docs/schemas/registry-component.schema.json',
    )
  })
})
