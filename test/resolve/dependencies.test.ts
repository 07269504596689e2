import { describe, expect, it } from 'vitest'
import { resolveDependencies, unsatisfiedPlugins } from '../../src/resolve/index.ts'
import type { DependencyNode } from '../../src/resolve/index.ts'

const node = (
  name: string,
  version: string | undefined,
  deps: DependencyNode['dependencies'] = [],
): DependencyNode => ({
  name,
  ...(version ? { version } : {}),
  dependencies: deps,
  file: `/p/${name}/.claude-plugin/plugin.json`,
})

describe('resolveDependencies', () => {
  it('reports a missing plugin with the install command', () => {
    const report = resolveDependencies([{ ...node('writer', '1.0.0', [{ name: 'editor' }]), marketplace: 'tools' }])
    expect(report.diagnostics.map((d) => [d.code, d.path, d.message])).toEqual([
      [
        'DEPENDENCY_MISSING',
        'dependencies.0',
        'plugin "writer" needs editor, which is not installed. Install it: claude plugin install editor@tools',
      ],
    ])
  })

  it('says a dependency that is there but not loaded is to be fixed, not installed', () => {
    const report = resolveDependencies(
      [node('writer', '1.0.0', [{ name: 'editor' }])],
      [
        {
          name: 'editor',
          where: '/p/editor',
          why: 'plugin.json: "version" is not a string',
          fix: 'Fix editor first (switchboard check /p/editor)',
        },
      ],
    )
    expect(report.diagnostics.map((d) => d.message)).toEqual([
      'plugin "writer" needs editor, which is here (/p/editor) but Claude Code does not load it: plugin.json: "version" is not a string. Fix editor first (switchboard check /p/editor).',
    ])
  })

  it('reports a version outside the range, naming both and the fix', () => {
    const report = resolveDependencies([
      node('writer', '1.0.0', [{ name: 'editor', range: '^2.0.0' }]),
      node('editor', '1.4.2'),
    ])
    expect(report.diagnostics[0]?.message).toBe(
      'plugin "writer" needs editor@^2.0.0 but editor 1.4.2 is installed. Update editor (claude plugin update editor) or relax the range.',
    )
  })

  it('accepts a satisfied range and warns when the installed version is not semver', () => {
    expect(
      resolveDependencies([node('w', '1.0.0', [{ name: 'e', range: '^1.2.0' }]), node('e', '1.4.2')]).diagnostics,
    ).toEqual([])
    const report = resolveDependencies([node('w', '1.0.0', [{ name: 'e', range: '^1.2.0' }]), node('e', 'v1.3')])
    expect(report.diagnostics.map((d) => d.code)).toEqual(['DEPENDENCY_VERSION_UNKNOWN'])
    expect(report.diagnostics[0]?.message).toContain('Did e mean "1.3.0"?')
  })

  it('reports a cycle as a -> b -> a, once', () => {
    const report = resolveDependencies([
      node('b', '1.0.0', [{ name: 'a' }]),
      node('a', '1.0.0', [{ name: 'b' }]),
      node('c', '1.0.0', [{ name: 'a' }]),
    ])
    expect(report.cycles).toEqual([['a', 'b', 'a']])
    expect(report.diagnostics.map((d) => d.message)).toEqual([
      'dependency cycle: a -> b -> a. Claude Code cannot enable these plugins in any order; remove one of these dependencies.',
    ])
  })

  it('finds the shortest cycle path through a larger loop and self-dependencies', () => {
    const report = resolveDependencies([
      node('a', '1', [{ name: 'b' }]),
      node('b', '1', [{ name: 'c' }]),
      node('c', '1', [{ name: 'a' }]),
      node('s', '1', [{ name: 's' }]),
    ])
    expect(report.cycles).toEqual([
      ['a', 'b', 'c', 'a'],
      ['s', 's'],
    ])
  })

  it('orders plugins after their dependencies, cycles last', () => {
    const report = resolveDependencies([
      node('app', '1', [{ name: 'lib' }, { name: 'ui' }]),
      node('ui', '1', [{ name: 'lib' }]),
      node('lib', '1'),
      node('x', '1', [{ name: 'y' }]),
      node('y', '1', [{ name: 'x' }]),
    ])
    expect(report.loadOrder).toEqual(['lib', 'ui', 'app', 'x', 'y'])
  })

  it('matches a dependency pinned to a marketplace only against that marketplace', () => {
    const report = resolveDependencies([
      node('w', '1', [{ name: 'e', marketplace: 'other' }]),
      { ...node('e', '1.0.0'), marketplace: 'mine' },
    ])
    expect(report.diagnostics.map((d) => d.code)).toEqual(['DEPENDENCY_MISSING'])
  })
})

describe('unsatisfiedPlugins (what Claude Code refuses to load)', () => {
  it('refuses a plugin whose dependency is missing, and cascades to plugins that need it', () => {
    const refused = unsatisfiedPlugins([
      node('app', '1', [{ name: 'ui' }]),
      node('ui', '1', [{ name: 'lib' }]),
      node('other', '1'),
    ])
    expect(Object.fromEntries(refused)).toEqual({
      ui: 'dependency "lib" is not installed; install it (claude plugin install lib) or remove the dependency',
      app: 'dependency "ui" is not loaded (dependency "lib" is not installed; install it (claude plugin install lib) or remove the dependency)',
    })
  })

  // Found by a newcomer's review: the fix said to install a plugin that was there, refused for its manifest.
  it('says a dependency that is here but refused is here, with why, rather than to install it', () => {
    const refused = unsatisfiedPlugins(
      [node('db', '1', [{ name: 'da' }])],
      [{ name: 'da', where: '/plugins/da', why: 'plugin.json (version): not a version', fix: 'Fix da first' }],
    )
    expect(refused.get('db')).toBe(
      'dependency "da" is here (/plugins/da) but Claude Code does not load it: plugin.json (version): not a version. Fix da first, or remove the dependency',
    )
  })

  it('ignores version ranges, as Claude Code does for these plugins', () => {
    expect(unsatisfiedPlugins([node('a', '1', [{ name: 'b', range: '^9.0.0' }]), node('b', '1.0.0')]).size).toBe(0)
  })
})
