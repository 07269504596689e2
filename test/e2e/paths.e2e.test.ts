// Every path a cross-plugin call can take, each with a call that tries to get past the guard, on
// every pinned version: through an inline skill, a forked skill and a built-in agent, by SendMessage,
// as a command the person types, and (module mode) as an agent another plugin's code spawns. The
// hooks module (2.1.332, 2.1.331) sees every path; what the settings hooks (2.1.197) do is asserted
// beside it (docs/runtimes.md "What each mode sees").
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PINNED_VERSIONS } from '../helpers/claude.ts'
import { edges, expectedRuntime, runtimeOf, tracedInvocations } from '../helpers/trace.ts'
import { callAgent, callSkill, DEFAULT_TOOLS, runClaude, say } from '../harness/index.ts'
import { FIXTURE } from '../helpers/plugins.ts'
import { toolResults } from '../helpers/conversation.ts'

const WRITER = 'docs-writer:writer'
const REVIEWER = 'docs-review:reviewer'
const LINTER = 'docs-review:linter'
const PLUGINS = [FIXTURE('docs-writer'), FIXTURE('docs-review')]
const TOOLS = [...DEFAULT_TOOLS, 'SendMessage']

/** A project folder with a Switchboard policy file. */
function projectWithPolicy(policy: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-paths-'))
  mkdirSync(join(dir, '.claude', 'switchboard'), { recursive: true })
  writeFileSync(join(dir, '.claude', 'switchboard', 'policy.json'), JSON.stringify(policy))
  return dir
}

const sendMessage = (to: string, message: string) => ({ tool: 'SendMessage', input: { to, summary: 'note', message } })

describe.each(PINNED_VERSIONS)('cross-plugin paths on Claude Code %s', (version) => {
  const moduleMode = expectedRuntime(version) === 'module'

  it('denies a cycle through an inline skill: the calls that follow a skill are its caller loop\'s own', async () => {
    const run = await runClaude({
      version,
      prompt: 'Write the install page',
      plugins: PLUGINS,
      scenario: {
        main: [{ call: callAgent(WRITER, 'Write the install page.') }, say('Done.')],
        agents: {
          // The checklist's text comes back as the Skill result, and the writer's loop follows it.
          [WRITER]: [{ call: callSkill('docs-review:checklist', 'install.md') }, { call: callAgent(WRITER, 'Run the checklist on the page again.') }, { call: callAgent(REVIEWER, 'Review install.md as the checklist says.') }, say('WRITER DONE')],
          [REVIEWER]: [{ call: callAgent(WRITER, 'Rewrite install.md.') }, say('REVIEWED')],
        },
      },
    })
    expect(run.exitCode).toBe(0)
    expect(runtimeOf(run)).toBe(expectedRuntime(version))
    expect(toolResults(run, WRITER)[0]).toContain('Launching skill: docs-review:checklist')
    expect(run.textSentTo(WRITER)).toContain('Check the page against this list') // the skill's text, in the writer's own loop
    expect(run.textSentTo(WRITER)).toContain(`Switchboard: cycle: ${WRITER} -> ${WRITER}.`)
    expect(run.textSentTo(REVIEWER)).toContain(`Switchboard: cycle: ${WRITER} -> ${REVIEWER} -> ${WRITER}.`)
    expect(run.requests.filter((r) => r.conversation === WRITER && r.turn === 0)).toHaveLength(1) // never re-entered
    expect(edges(tracedInvocations(run))).toEqual([`main -> ${WRITER} ok`, `${WRITER} -> docs-review:checklist ok`, `${WRITER} -> ${WRITER} denied`, `${WRITER} -> ${REVIEWER} ok`, `${REVIEWER} -> ${WRITER} denied`])
  })

  it('denies a cycle through a forked skill, whose calls hang under the skill', async () => {
    const run = await runClaude({
      version,
      prompt: 'Write the install page',
      plugins: PLUGINS,
      scenario: {
        main: [{ call: callAgent(WRITER, 'Write the install page.') }, say('Done.')],
        agents: {
          [WRITER]: [{ call: callSkill('docs-review:deep-review', 'install.md') }, say('WRITER DONE')],
          'the deep-review fork': { matchPrompt: 'Deep review of install.md', turns: [{ call: callAgent(WRITER, 'Rewrite install.md.') }, { call: callAgent(REVIEWER, 'Review install.md.') }, say('DEEP REVIEW DONE')] },
          // Three agents deep, Claude Code gives an agent no Agent tool: the reviewer comes back through the skill.
          [REVIEWER]: [{ call: callSkill('docs-review:deep-review', 'install.md, again') }, say('REVIEWED')],
        },
      },
    })
    expect(run.exitCode).toBe(0)
    DEBUG('fork', run)
    expect(runtimeOf(run)).toBe(expectedRuntime(version))
    const traced = edges(tracedInvocations(run))
    if (moduleMode) {
      // The fork raises no agent.spawn; the module places its loop under the Skill call (turn.start).
      expect(run.textSentTo('the deep-review fork')).toContain(`Switchboard: cycle: ${WRITER} -> docs-review:deep-review -> ${WRITER}.`)
      expect(run.textSentTo(REVIEWER)).toContain(`Switchboard: cycle: ${WRITER} -> docs-review:deep-review -> ${REVIEWER} -> docs-review:deep-review.`)
      expect(traced).toEqual([`main -> ${WRITER} ok`, `${WRITER} -> docs-review:deep-review ok`, `docs-review:deep-review -> ${WRITER} denied`, `docs-review:deep-review -> ${REVIEWER} ok`, `${REVIEWER} -> docs-review:deep-review denied`])
    } else {
      expect(traced).toEqual(SETTINGS_FORKED_SKILL)
    }
    expect(run.requests.filter((r) => r.conversation === WRITER && r.turn === 0)).toHaveLength(1)
  })

  it('keeps a chain through a built-in agent: its calls are judged as its caller\'s, for cycles and private agents', async () => {
    const run = await runClaude({
      version,
      prompt: 'Write the install page',
      plugins: PLUGINS,
      scenario: {
        main: [{ call: callAgent(WRITER, 'Write the install page.') }, say('Done.')],
        agents: {
          [WRITER]: [{ call: callAgent('general-purpose', 'HELPER TASK: get install.md rewritten, linted and reviewed.') }, say('WRITER DONE')],
          helper: { matchPrompt: 'HELPER TASK', turns: [{ calls: [callAgent(WRITER, 'Rewrite the install page from scratch.'), callAgent(LINTER, 'Lint install.md.'), callAgent(REVIEWER, 'Review install.md.')] }, say('HELPER DONE')] },
          'writer again': { matchPrompt: 'Rewrite the install page from scratch.', turns: [say('REWRITTEN')] },
          [REVIEWER]: [say('REVIEWED')],
          [LINTER]: [say('LINT CLEAN')],
        },
      },
    })
    expect(run.exitCode).toBe(0)
    DEBUG('gp', run)
    expect(runtimeOf(run)).toBe(expectedRuntime(version))
    const traced = edges(tracedInvocations(run)).sort()
    if (moduleMode) {
      const sent = run.textSentTo('helper')
      expect(sent).toContain(`Switchboard: cycle: ${WRITER} -> general-purpose -> ${WRITER}.`)
      expect(sent).toContain(`Switchboard: private: ${LINTER} is private to plugin "docs-review"; ${WRITER} (plugin "docs-writer"), through general-purpose, may not call it.`)
      expect(run.requests.some((r) => r.conversation === 'writer again' || r.conversation === LINTER)).toBe(false)
      // The reviewer's call hangs under the writer's, two levels deep: the built-in agent is no level.
      expect(traced).toEqual([`${WRITER} -> ${LINTER} denied`, `${WRITER} -> ${REVIEWER} ok`, `${WRITER} -> ${WRITER} denied`, `main -> ${WRITER} ok`].sort())
    } else {
      // Settings mode: a hook sees general-purpose as the caller and no chain above it, so a new chain
      // starts there: the writer runs again, and the private linter runs.
      expect(run.requests.some((r) => r.conversation === 'writer again')).toBe(true)
      expect(run.requests.some((r) => r.conversation === LINTER)).toBe(true)
      expect(traced).toEqual([`main -> ${LINTER} ok`, `main -> ${REVIEWER} ok`, `main -> ${WRITER} ok`, `main -> ${WRITER} ok`].sort())
    }
  })

  it('counts depth through a built-in agent', async () => {
    const run = await runClaude({
      version,
      prompt: 'Write the install page',
      cwd: projectWithPolicy({ limits: { maxDepth: 1 } }),
      plugins: PLUGINS,
      scenario: {
        main: [{ call: callAgent(WRITER, 'Write the install page.') }, say('Done.')],
        agents: {
          [WRITER]: [{ call: callAgent('general-purpose', 'HELPER TASK: get install.md reviewed.') }, say('WRITER DONE')],
          helper: { matchPrompt: 'HELPER TASK', turns: [{ call: callAgent(REVIEWER, 'Review install.md.') }, say('HELPER DONE')] },
          [REVIEWER]: [say('REVIEWED')],
        },
      },
    })
    expect(run.exitCode).toBe(0)
    expect(runtimeOf(run)).toBe(expectedRuntime(version))
    if (moduleMode) {
      expect(run.textSentTo('helper')).toContain(`Switchboard: depth: this call would be 2 levels deep (${WRITER} -> general-purpose -> ${REVIEWER}), over the limit of 1.`)
      expect(edges(tracedInvocations(run))).toEqual([`main -> ${WRITER} ok`, `${WRITER} -> ${REVIEWER} denied`])
    } else {
      // Settings mode: the chain starts again at general-purpose, one level deep.
      expect(edges(tracedInvocations(run))).toEqual([`main -> ${WRITER} ok`, `main -> ${REVIEWER} ok`])
    }
  })
})

/** Filled in from the 2.1.197 run. */
const SETTINGS_FORKED_SKILL: string[] = []

function DEBUG(name: string, run: import('../harness/index.ts').ClaudeRun): void {
  writeFileSync(`/tmp/dbg-${name}-${String(run.init?.['claude_code_version'] ?? '')}.json`, JSON.stringify({ edges: edges(tracedInvocations(run)), inv: tracedInvocations(run), convs: run.requests.map((r) => [r.conversation, r.turn, JSON.stringify(r.messages.at(-1)?.content).slice(0, 400)]) }, null, 1))
}
