// What check and doctor say of mistakes a newcomer made: the cause and the fix, named.
//
// Found by a newcomer: `description: Summarises: a note` saved with Windows line ends was reported as invalid YAML
// with the fix "close every quote, indent continuation lines", while the cause was the line ends: Claude Code's
// quoting retry fails on a CRLF file (docs/claude-code-notes.md), and the same file with LF ends is recovered.
import { describe, expect, it } from 'vitest'
import { buildRegistry } from '../../src/registry/index.ts'
import { testdir } from '../helpers/testdir.ts'

/** The registry of one plugin made of `files` (paths below the plugin's folder); its manifest names it `name`. */
function pluginRegistry(files: Record<string, string>, name = 'notes') {
  const root = testdir(
    Object.fromEntries([
      [`p/.claude-plugin/plugin.json`, JSON.stringify({ name, version: '1.0.0' })],
      ...Object.entries(files).map(([path, text]) => [`p/${path}`, text]),
    ]),
  )
  return buildRegistry({ cwd: root, env: { HOME: testdir() }, installed: false, pluginDirs: [`${root}/p`] })
}

const codes = (text: string) =>
  pluginRegistry({ 'agents/summarise.md': text })
    .diagnostics.filter((d) => d.code.startsWith('FRONTMATTER_YAML'))
    .map((d) => [d.code, d.message.replace(/^.*Fix the YAML: |^.*but its validator and other tools do not: /s, '')])

describe('frontmatter with a ": " in a plain value', () => {
  it('says the line ends are the cause in a CRLF file, and quoting the fix in an LF one', () => {
    const lines = ['---', 'name: summarise', 'description: Summarises: a note, returns JSON', '---', 'Sum.', '']
    expect(codes(lines.join('\r\n'))).toEqual([
      [
        'FRONTMATTER_YAML_INVALID',
        'quote values that hold ": " or "#" (Claude Code quotes them itself only in a file with Unix line ends), or save the file with Unix (LF) line ends.',
      ],
    ])
    expect(codes(lines.join('\n'))).toEqual([
      ['FRONTMATTER_YAML_RECOVERED', 'put values that contain ": " or "#" in quotes.'],
    ])
  })
})

// Found by a newcomer: an agent named `Sum Marise` passed check with no word, while plugin names get a lint.
describe("an agent's name", () => {
  it('is warned of where it is not kebab-case, with the name to use', () => {
    const registry = pluginRegistry({
      'agents/odd.md': '---\nname: Sum Marise\ndescription: Sums\n---\nSum.\n',
      'agents/fine.md': '---\nname: sum-up\ndescription: Sums\n---\nSum.\n',
    })
    expect(registry.diagnostics.filter((d) => d.code === 'AGENT_NAME_NOT_KEBAB').map((d) => d.message)).toEqual([
      'agent name "Sum Marise" is not kebab-case, and callers must write notes:Sum Marise. Use lower-case words joined by "-", e.g. "sum-marise".',
    ])
  })
})

// Found by a newcomer: one bad plugin name gave two PLUGIN_NOT_LOADED errors for the same file.
describe('a plugin Claude Code refuses for its manifest', () => {
  it('is said to be refused once, at the field', () => {
    const registry = pluginRegistry({ 'agents/sum.md': '---\nname: sum\ndescription: Sums\n---\nSum.\n' }, 'My Notes')
    expect(registry.diagnostics.filter((d) => d.code === 'PLUGIN_NOT_LOADED').map((d) => d.path)).toEqual(['name'])
    expect(registry.plugins[0]).toMatchObject({ loaded: false })
  })
})

// Found by a newcomer: `Publish Note.yaml` was told to become publish-note.yaml, which was there already.
describe('a workflow file whose name is not kebab-case', () => {
  it('is told the name to use, or that it is taken', () => {
    const workflow = 'steps:\n  - id: s\n    invoke: { plugin: notes, agent: summarise }\n'
    const messages = (files: Record<string, string>) =>
      pluginRegistry(files)
        .diagnostics.filter((d) => d.code === 'WORKFLOW_NAME_INVALID')
        .map((d) => d.message.replace(/^.*must be kebab-case\. /, ''))
    expect(messages({ 'workflows/Publish Note.yaml': workflow })).toEqual(['Rename it to publish-note.yaml.'])
    expect(messages({ 'workflows/Publish Note.yaml': workflow, 'workflows/publish-note.yaml': workflow })).toEqual([
      'Rename it (publish-note.yaml is taken: pick another kebab-case name).',
    ])
  })
})
