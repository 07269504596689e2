// Claude Code reads each SKILL.md of a plugin once, by real path (docs/claude-code-notes.md, Ids).
// The registry opens SKILL.md files straight away and compares file identities, resolving a real
// path only for a file met twice: links must come out as Claude Code sees them.
import { linkSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildRegistry } from '../../src/registry/index.ts'
import { testdir } from '../helpers/testdir.ts'

const SKILL = (description: string) => `---\ndescription: ${description}\n---\nDo it.\n`

function registryOf(make: (plugin: string) => void) {
  const root = testdir({ 'tools/.claude-plugin/plugin.json': { name: 'tools' } })
  const plugin = join(root, 'tools')
  make(plugin)
  return buildRegistry({ cwd: root, env: { HOME: join(root, 'home') }, installed: false, pluginDirs: [plugin] })
}

describe('skills reached through links', () => {
  it('lists a skill folder linked twice inside skills/ once, under the first name', () => {
    const registry = registryOf((plugin) => {
      mkdirSync(join(plugin, 'skills', 'alpha'), { recursive: true })
      writeFileSync(join(plugin, 'skills', 'alpha', 'SKILL.md'), SKILL('Alpha.'))
      symlinkSync(join(plugin, 'skills', 'alpha'), join(plugin, 'skills', 'beta'))
    })
    expect(registry.components.map((c) => c.id)).toEqual(['tools:alpha'])
    expect(registry.diagnostics).toEqual([])
  })

  it('lists two folders whose SKILL.md is one file by hard link twice: their real paths differ', () => {
    const registry = registryOf((plugin) => {
      mkdirSync(join(plugin, 'skills', 'alpha'), { recursive: true })
      mkdirSync(join(plugin, 'skills', 'beta'), { recursive: true })
      writeFileSync(join(plugin, 'skills', 'alpha', 'SKILL.md'), SKILL('Shared.'))
      linkSync(join(plugin, 'skills', 'alpha', 'SKILL.md'), join(plugin, 'skills', 'beta', 'SKILL.md'))
    })
    expect(registry.components.map((c) => c.id)).toEqual(['tools:alpha', 'tools:beta'])
  })

  it('reads a skill named again by a skills path once, under its folder name, and a hard link named again once', () => {
    const root = testdir({
      'tools/.claude-plugin/plugin.json': {
        name: 'tools',
        skills: ['./skills/alpha', './skills/beta', './skills/beta'],
      },
    })
    const plugin = join(root, 'tools')
    mkdirSync(join(plugin, 'skills', 'alpha'), { recursive: true })
    mkdirSync(join(plugin, 'skills', 'beta'), { recursive: true })
    writeFileSync(join(plugin, 'skills', 'alpha', 'SKILL.md'), `---\nname: renamed\ndescription: Alpha.\n---\nDo it.\n`)
    linkSync(join(plugin, 'skills', 'alpha', 'SKILL.md'), join(plugin, 'skills', 'beta', 'SKILL.md'))
    const registry = buildRegistry({
      cwd: root,
      env: { HOME: join(root, 'home') },
      installed: false,
      pluginDirs: [plugin],
    })
    expect(registry.components.map((c) => c.id)).toEqual(['tools:alpha', 'tools:beta'])
  })

  it('skips files, folders without SKILL.md and a SKILL.md that is a folder, without a word', () => {
    const registry = registryOf((plugin) => {
      mkdirSync(join(plugin, 'skills', 'real'), { recursive: true })
      writeFileSync(join(plugin, 'skills', 'real', 'SKILL.md'), SKILL('Real.'))
      writeFileSync(join(plugin, 'skills', 'README.md'), '# Skills\n')
      mkdirSync(join(plugin, 'skills', 'empty'))
      mkdirSync(join(plugin, 'skills', 'odd', 'SKILL.md'), { recursive: true })
      symlinkSync(join(plugin, 'nowhere'), join(plugin, 'skills', 'dangling'))
    })
    expect(registry.components.map((c) => c.id)).toEqual(['tools:real'])
    expect(registry.diagnostics).toEqual([])
  })

  it('reads a skills/ that is itself a link, and a root SKILL.md that is a link', () => {
    const linkedFolder = registryOf((plugin) => {
      mkdirSync(join(plugin, 'elsewhere', 'gamma'), { recursive: true })
      writeFileSync(join(plugin, 'elsewhere', 'gamma', 'SKILL.md'), SKILL('Gamma.'))
      symlinkSync(join(plugin, 'elsewhere'), join(plugin, 'skills'))
    })
    expect(linkedFolder.components.map((c) => c.id)).toEqual(['tools:gamma'])
    const linkedFile = registryOf((plugin) => {
      writeFileSync(join(plugin, 'SKILL.src'), '---\nname: rooted\ndescription: At the root.\n---\nDo it.\n')
      symlinkSync(join(plugin, 'SKILL.src'), join(plugin, 'SKILL.md'))
    })
    expect(linkedFile.components.map((c) => c.kind)).toEqual(['skill'])
  })
})
