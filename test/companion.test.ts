// Switchboard and its companion switchboard-hooks (the per-call settings hooks) are two plugins that must
// agree on one name everywhere it is written: the companion's manifest, the marketplace entry and the
// dependency that installs it, the module's plugin.register matcher, and the code that finds the
// companion (SETTINGS_HOOKS_PLUGIN). Cheap to check here; the end-to-end tests need the pinned builds.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SETTINGS_HOOKS_PLUGIN } from '../src/registry/snapshot-locator.ts'
import { HOOK_FIELDS } from '../src/mcp/hook-tool.ts'
import { HOOK_TOOL, TOOL_SPECS } from '../src/mcp/tool-specs.ts'
import { HOOKS_PLUGIN, PLUGIN, REPO } from './helpers/cli.ts'

type HookEntry = { hooks: Array<{ type: string; input: Record<string, string> }> }

const json = (...path: string[]) => JSON.parse(readFileSync(join(...path), 'utf8'))

describe('the companion plugin switchboard-hooks', () => {
  it('is named and versioned as Switchboard expects, and installed with it by its marketplace entry', () => {
    const companion = json(HOOKS_PLUGIN, '.claude-plugin', 'plugin.json')
    expect(companion.name).toBe(SETTINGS_HOOKS_PLUGIN)
    expect(companion.version).toBe(json(PLUGIN, '.claude-plugin', 'plugin.json').version)
    const entries = json(REPO, '.claude-plugin', 'marketplace.json').plugins as Array<Record<string, unknown>>
    expect(entries.find((e) => e.name === SETTINGS_HOOKS_PLUGIN)?.source).toBe('./plugin-hooks')
    expect(entries.find((e) => e.name === 'switchboard')?.dependencies).toEqual([SETTINGS_HOOKS_PLUGIN])
  })

  it('holds every per-call hook, and Switchboard only SessionStart, beside the module that keeps them out', () => {
    const own = json(PLUGIN, 'hooks', 'hooks.json')
    expect(Object.keys(own.hooks)).toEqual(['SessionStart'])
    expect(Object.keys(json(HOOKS_PLUGIN, 'hooks', 'hooks.json').hooks).sort()).toEqual(
      ['PostToolUse', 'PostToolUseFailure', 'PreToolUse', 'SubagentStop'].sort(),
    )
    // The matcher is a literal in the source (so `claude plugin validate` lists it): the same name.
    const register = readFileSync(join(REPO, 'src', 'module', 'register.ts'), 'utf8')
    expect(register).toContain(`on('plugin.register', { name: '${SETTINGS_HOOKS_PLUGIN}' }`)
  })

  // The companion runs no code: each hook is a call to the `hook` tool of Switchboard's MCP server, which
  // answers it in process (mcp/hook-tool.ts). Claude Code fills in each `${field}`; the tool reads those fields.
  it("asks Switchboard's MCP server, by its name, for every per-call hook, passing the fields the hook tool reads", () => {
    const server = Object.keys(json(PLUGIN, '.mcp.json').mcpServers)
    expect(server).toEqual(['switchboard'])
    const known = [...HOOK_FIELDS.text, ...HOOK_FIELDS.json] as string[]
    const hooks = Object.values(json(HOOKS_PLUGIN, 'hooks', 'hooks.json').hooks as Record<string, HookEntry[]>)
      .flat()
      .flatMap((entry) => entry.hooks)
    expect(hooks).toHaveLength(4)
    for (const hook of hooks) {
      expect(hook).toMatchObject({ type: 'mcp_tool', server: `plugin:switchboard:${server[0]}`, tool: HOOK_TOOL })
      for (const [field, template] of Object.entries(hook.input)) {
        expect(template).toBe(`\${${field}}`)
        expect(known).toContain(field)
      }
      expect(Object.keys(hook.input)).toEqual(expect.arrayContaining(['hook_event_name', 'session_id', 'cwd']))
    }
    // Not a tool the model is shown: Claude Code refuses a model's call to it.
    expect(TOOL_SPECS.map((spec) => spec.name)).not.toContain(HOOK_TOOL)
  })
})
