// docs/workflows.md cannot rot: every YAML block is a workflow that parses and passes `workflow check`
// over the example plugins with no warning (or, when it starts with `# check: CODE`, reports exactly that), and every
// `$ switchboard ...` block is run through the bundled CLI and must print what the page shows.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { splitArguments } from '../../src/guard/index.ts'
import { checkWorkflow, parseWorkflowText } from '../../src/workflow/index.ts'
import { cli, REPO } from '../helpers/cli.ts'
import { context } from '../helpers/workflows.ts'

const PAGE = readFileSync(join(REPO, 'docs', 'workflows.md'), 'utf8')
const blocks = (lang: string) =>
  [...PAGE.matchAll(new RegExp(`^\`\`\`${lang}\\n([\\s\\S]*?)^\`\`\`$`, 'gm'))].map((m) => m[1]!)
const yaml = blocks('yaml').map((text, i) => ({ name: `yaml block ${i + 1}: ${text.split('\n')[0]}`, text }))
const runs = blocks('text')
  .filter((text) => text.startsWith('$ switchboard '))
  .map((text) => ({ name: text.split('\n')[0]!, text }))

describe('docs/workflows.md', () => {
  it('has examples to run', async () => {
    expect(yaml.length).toBeGreaterThanOrEqual(5)
    expect(runs.length).toBeGreaterThanOrEqual(2)
  })

  it.each(yaml)('$name', async ({ text }) => {
    const read = parseWorkflowText(text, 'docs/workflows.md')
    expect(read.diagnostics).toEqual([])
    const expected = /^# check: (\w+)/.exec(text)?.[1]
    // Warnings too: an example that `workflow check` warns about teaches what not to write.
    const found = checkWorkflow(read.value!, context())
      .filter((d) => d.severity !== 'info')
      .map((d) => d.code)
    expect(found).toEqual(expected ? [expected] : [])
  })

  it.each(runs)('$name', async ({ text }) => {
    const [command, ...output] = text.split('\n')
    const args = splitArguments(command!.slice('$ switchboard '.length))
    const result = await cli([...args, '--marketplace-root', REPO, '--no-installed'])
    expect(result.stdout).toBe(output.join('\n'))
  })
})
