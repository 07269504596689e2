// The registry's view must equal Claude Code's own: the agents Claude Code lists to the model (ids,
// descriptions, tools) are exactly the agents `switchboard registry` reports as listed, for our
// quirk fixtures and for a sample of real plugins from ../shared/corpus.
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildRegistry } from '../../src/registry/index.ts'
import type { Component } from '../../src/registry/index.ts'
import { PINNED_VERSIONS } from '../helpers/claude.ts'
import type { PinnedVersion } from '../helpers/claude.ts'
import { FIXTURES } from '../helpers/registry.ts'
import { agentListing, runClaude, say, SWITCHBOARD_ROOT } from '../harness/index.ts'
import { CORPUS } from '../helpers/corpus.ts'

const FIXTURE_PLUGINS = [
  'frontmatter-quirks',
  'names',
  'tool-shapes',
  'author-string',
  'agents-folder',
  'hooks-array',
  'hooks-unwrapped',
  'custom-paths',
  'review-a',
  'review-b',
  'no-manifest',
  'orchestrated',
].map((p) => join(FIXTURES, 'plugins', p))

/** Every corpus plugin folder that has agents, in a stable order; the test uses at least 30. */
const CORPUS_PLUGINS = existsSync(CORPUS)
  ? readdirSync(CORPUS)
      .flatMap((m) =>
        ['plugins', 'external_plugins']
          .map((d) => join(CORPUS, m, d))
          .filter(existsSync)
          .flatMap((d) =>
            readdirSync(d)
              .sort()
              .map((p) => join(d, p)),
          ),
      )
      .filter((p) => existsSync(join(p, 'agents')))
  : []

/**
 * Where the registry (which follows 2.1.331) knowingly differs from 2.1.197, by agent id: 2.1.197
 * does not strip a byte order mark, and refuses a plugin whose plugin.json author is a string.
 */
const KNOWN_197_DIFFERENCES = new Set(['frontmatter-quirks:bom-agent'])
const REFUSED_BY_197 = new Set(['author-string'])
/** 2.1.197 loads a plugin whose hooks.json "hooks" is a list (losing its hooks); 2.1.331 refuses it. */
const LOADED_BY_197_ONLY = new Set(['hooks-array'])

async function compare(version: PinnedVersion, plugins: string[]) {
  const run = await runClaude({
    version,
    prompt: 'hi',
    plugins,
    withSwitchboard: false,
    scenario: { main: [say('hello')] },
    timeoutMs: 120_000,
  })
  expect(run.exitCode).toBe(0)
  const registry = buildRegistry({
    cwd: SWITCHBOARD_ROOT,
    env: { HOME: '/nonexistent' },
    installed: false,
    pluginDirs: plugins,
  })
  const pluginNames = new Set(registry.plugins.map((p) => p.name))
  const listed = agentListing(run.requests).filter((a) => pluginNames.has(a.id.split(':')[0]!))
  const expected = registry.components
    .filter((c) => c.kind === 'agent' && !(version === '2.1.197' && REFUSED_BY_197.has(c.plugin)))
    .map((c) => ({ id: c.id, description: c.description, tools: toolsLabel(c) }))
  const normalise = (agents: Array<{ id: string; description: string; tools: string }>) =>
    agents
      .filter(
        (a) =>
          version !== '2.1.197' || (!KNOWN_197_DIFFERENCES.has(a.id) && !LOADED_BY_197_ONLY.has(a.id.split(':')[0]!)),
      )
      .map((a) => `${a.id} | ${a.description.replace(/\s+/g, ' ').trim()} | ${a.tools}`)
      .sort()
  expect(normalise(listed)).toEqual(normalise(expected))
  return { listed: listed.length, plugins: plugins.length }
}

/**
 * How Claude Code labels an agent's tools in the listing (its formula, from the 2.1.331 loader): the
 * allowed list minus the disallowed one ("None" when nothing is left), "All tools except ..." for a
 * denylist alone, and "All tools" when neither is given (an empty list included, misleadingly).
 */
function toolsLabel(component: Component): string {
  const { tools, disallowedTools } = component
  if (tools === null || (tools.length === 0 && disallowedTools.length === 0))
    return disallowedTools.length > 0 ? `All tools except ${disallowedTools.join(', ')}` : 'All tools'
  return tools.length > 0 ? tools.join(', ') : 'None'
}

describe.each(PINNED_VERSIONS)('registry equals what Claude Code %s lists to the model', (version) => {
  it('for the quirk fixtures', async () => {
    const { listed } = await compare(version, FIXTURE_PLUGINS)
    expect(listed).toBeGreaterThan(20)
  })

  it.skipIf(CORPUS_PLUGINS.length < 30)(
    `for ${Math.max(30, CORPUS_PLUGINS.length)} corpus plugins with agents`,
    async () => {
      const { listed, plugins } = await compare(version, CORPUS_PLUGINS)
      console.log(
        `Claude Code ${version}: ${listed} agents of ${plugins} corpus plugins listed, all equal to the registry`,
      )
      expect(plugins).toBeGreaterThanOrEqual(30)
    },
  )
})
