// `claude plugin validate`, the real one, on the pinned versions: this repository's plugin and
// marketplace pass --strict and the plugin directory checks, and a plugin that uses Switchboard's
// orchestration metadata still passes --strict (Claude Code ignores the extra frontmatter keys and
// the extra file .claude-plugin/switchboard.json).
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { REPO } from '../helpers/cli.ts'
import { claudeBinary, offlineEnv, PINNED_VERSIONS } from '../helpers/claude.ts'
import { copyFixture, testdir } from '../helpers/testdir.ts'

function validate(version: (typeof PINNED_VERSIONS)[number], args: string[]) {
  const result = spawnSync(claudeBinary(version), ['plugin', 'validate', ...args], {
    cwd: REPO,
    encoding: 'utf8',
    env: offlineEnv(),
    timeout: 60_000,
  })
  return { code: result.status, output: `${result.stdout}${result.stderr}` }
}

const EXAMPLES = ['tdd-editor', 'tdd-design', 'tdd-tech', 'tdd-growth'].map((name) => join('examples', name))

describe.each(PINNED_VERSIONS)('claude plugin validate (Claude Code %s)', (version) => {
  it.each(['plugin', 'plugin-hooks'])('passes --strict on the switchboard plugin and its companion (%s)', (folder) => {
    const result = validate(version, ['--strict', folder])
    expect(result.output).not.toMatch(/warning|✘/i)
    expect(result.code).toBe(0)
  })

  it('passes --strict on the marketplace', () => {
    expect(validate(version, ['--strict', join('.claude-plugin', 'marketplace.json')]).code).toBe(0)
  })

  it.each(EXAMPLES)('passes --strict on %s, which uses orchestration metadata', (example) => {
    expect(validate(version, ['--strict', example])).toMatchObject({ code: 0 })
  })

  it('fails --strict on a plugin.json with an unknown key, so the checks above can fail', () => {
    const result = validate(version, ['--strict', join('test', 'fixtures', 'plugins', 'author-string')])
    expect(result.code).toBe(1)
  })
})

describe.each(PINNED_VERSIONS.filter((v) => v !== '2.1.197'))(
  'the hooks module under claude plugin validate (Claude Code %s)',
  (version) => {
    it("lists the module's hooks, each gating hook with a .catch, and what it calls", () => {
      const result = spawnSync(claudeBinary(version), ['plugin', 'validate', '--strict', '--json', 'plugin'], {
        cwd: REPO,
        encoding: 'utf8',
        env: offlineEnv(),
        timeout: 60_000,
      })
      const report = JSON.parse(result.stdout) as {
        success: boolean
        contents: Array<{ type: string; notes: string[]; gatingHooks: Array<{ hook: string; hasCatch: boolean }> }>
      }
      expect(report.success).toBe(true)
      const hooks = report.contents.find((c) => c.type === 'hooks')!
      expect(hooks.notes).toContain(
        'bin/module.mjs hooks: classic.SessionStart, tool.list, mcp.connect{server=plugin:switchboard:switchboard}, skill.prompt{skill=/"^switchboard:"/}, tool.call{tool=ToolSearch}, agent.spawn, agent.report, turn.complete{agentId=/"^(?!undefined$)."/}, session.end, tool.call{tool=Skill}, session.append{door=prompt|command|delivery, origin has {kind=plugin}}, session.append{door=compaction}, tool.call{tool=CronCreate|ScheduleWakeup}, tool.call{tool=SwitchboardInvoke}, skill.prompt{skill=switchboard:invoke}, skill.prompt{skill=switchboard:run}, skill.prompt{skill=switchboard:orchestrate}, session.send, command.run, plugin.register{name=switchboard-hooks}',
      )
      expect(hooks.gatingHooks.map((g) => `${g.hook} ${g.hasCatch}`).sort()).toEqual([
        'agent.report true',
        'agent.spawn true',
        'classic.SessionStart true',
        'command.run true',
        'mcp.connect{server=plugin:switchboard:switchboard} true',
        'plugin.register{name=switchboard-hooks} true',
        'session.append{door=compaction} true',
        'session.append{door=prompt|command|delivery, origin has {kind=plugin}} true',
        'session.send true',
        'tool.call{tool=CronCreate|ScheduleWakeup} true',
        'tool.call{tool=Skill} true',
        'tool.call{tool=SwitchboardInvoke} true',
        'tool.call{tool=ToolSearch} true',
        'tool.list true',
      ])
      expect(hooks.notes.join('\n')).toContain('env writes: SWITCHBOARD_RUNTIME, SWITCHBOARD_RUNTIME_SESSION')
    })
  },
)

describe('plugin directory checks (Claude Code 2.1.331, --profile directory)', () => {
  it.each(['plugin', 'plugin-hooks'])('passes with --strict: README, LICENSE, icon (%s)', (folder) => {
    const result = validate('2.1.331', ['--strict', '--profile', 'directory', folder])
    expect(result.output).not.toContain('README_MISSING')
    expect(result.output).not.toContain('ICON_MISSING')
    expect(result.output).not.toContain('LICENSE_MISSING')
    expect(result.code).toBe(0)
  })

  it('refuses a plugin without README, licence or icon, so the check above can fail', () => {
    // Outside this repository: the validator also accepts a README at the repository root.
    const copy = copyFixture(join(REPO, 'test', 'fixtures', 'plugins', 'names'), join(testdir(), 'names'))
    const result = validate('2.1.331', ['--strict', '--profile', 'directory', copy])
    expect(result.output).toContain('README_MISSING')
    expect(result.code).toBe(1)
  })
})
