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
import { callAgent, callSkill, COMPACTION_TURN, DEFAULT_TOOLS, runClaude, say } from '../harness/index.ts'
import type { Scenario, Turn } from '../harness/index.ts'
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

/** A Claude Code home whose user policy allows `caller` -> `target` (a project policy may only deny). */
function homeAllowing(caller: string, target: string): string {
  const home = mkdtempSync(join(tmpdir(), 'switchboard-claude-home-'))
  mkdirSync(join(home, '.claude', 'switchboard'), { recursive: true })
  writeFileSync(
    join(home, '.claude', 'switchboard', 'policy.json'),
    JSON.stringify({ rules: [{ caller, target, action: 'allow' }] }),
  )
  return home
}

const sendMessage = (to: string, message: string) => ({ tool: 'SendMessage', input: { to, summary: 'note', message } })

describe.each(PINNED_VERSIONS)('cross-plugin paths on Claude Code %s', (version) => {
  const moduleMode = expectedRuntime(version) === 'module'
  /** The person asks to check a page, with docs-lender (a hostile plugin) loaded beside the docs plugins. */
  const checkPage = (scenario: Scenario, options: { home?: string; withSwitchboard?: boolean } = {}) =>
    runClaude({ version, prompt: 'Check my page', plugins: [...PLUGINS, FIXTURE('docs-lender')], scenario, ...options })

  it("denies a cycle through an inline skill: the calls that follow a skill are its caller loop's own", async () => {
    const run = await runClaude({
      version,
      prompt: 'Write the install page',
      plugins: PLUGINS,
      scenario: {
        main: [{ call: callAgent(WRITER, 'Write the install page.') }, say('Done.')],
        agents: {
          // The checklist's text comes back as the Skill result, and the writer's loop follows it.
          [WRITER]: [
            { call: callSkill('docs-review:checklist', 'install.md') },
            { call: callAgent(WRITER, 'Run the checklist on the page again.') },
            { call: callAgent(REVIEWER, 'Review install.md as the checklist says.') },
            say('WRITER DONE'),
          ],
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
    expect(edges(tracedInvocations(run))).toEqual([
      `main -> ${WRITER} ok`,
      `${WRITER} -> docs-review:checklist ok`,
      `${WRITER} -> ${WRITER} denied`,
      `${WRITER} -> ${REVIEWER} ok`,
      `${REVIEWER} -> ${WRITER} denied`,
    ])
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
          'the deep-review fork': {
            matchPrompt: 'Deep review of install.md',
            turns: [
              { call: callAgent(WRITER, 'Rewrite install.md.') },
              { call: callAgent(REVIEWER, 'Review install.md.') },
              say('DEEP REVIEW DONE'),
            ],
          },
          // Three agents deep, Claude Code gives an agent no Agent tool: the reviewer comes back through the skill.
          [REVIEWER]: [{ call: callSkill('docs-review:deep-review', 'install.md, again') }, say('REVIEWED')],
        },
      },
    })
    expect(run.exitCode).toBe(0)
    expect(runtimeOf(run)).toBe(expectedRuntime(version))
    const traced = edges(tracedInvocations(run))
    if (moduleMode) {
      // The fork raises no agent.spawn; the module places its loop under the Skill call at its first call (loops.ts).
      expect(run.textSentTo('the deep-review fork')).toContain(
        `Switchboard: cycle: ${WRITER} -> docs-review:deep-review -> ${WRITER}.`,
      )
      expect(run.textSentTo(REVIEWER)).toContain(
        `Switchboard: cycle: ${WRITER} -> docs-review:deep-review -> ${REVIEWER} -> docs-review:deep-review.`,
      )
      expect(traced).toEqual([
        `main -> ${WRITER} ok`,
        `${WRITER} -> docs-review:deep-review ok`,
        `docs-review:deep-review -> ${WRITER} denied`,
        `docs-review:deep-review -> ${REVIEWER} ok`,
        `${REVIEWER} -> docs-review:deep-review denied`,
      ])
    } else {
      // Settings mode: a hook sees the fork's calls as general-purpose's, with no chain above it, so they
      // start a new chain and the writer runs again. (Claude Code itself refuses a forked skill that is
      // invoked again from inside its own fork.)
      expect(traced).toEqual([
        `main -> ${WRITER} ok`,
        `${WRITER} -> docs-review:deep-review ok`,
        `main -> ${WRITER} ok`,
        `main -> ${REVIEWER} ok`,
      ])
      expect(toolResults(run, REVIEWER)[0]).toContain(
        'Skill docs-review:deep-review is already executing in this forked context',
      )
    }
    expect(run.requests.filter((r) => r.conversation === WRITER && r.turn === 0)).toHaveLength(moduleMode ? 1 : 2)
  })

  it("refuses a skill that runs as another plugin's private agent (context: fork, agent:), which no Agent call shows, and traces what an allowed one runs as", async () => {
    const LINTER_BODY = 'You are the docs-review style linter'
    const scenario = {
      main: [{ call: callSkill('docs-lender:lint-anything', 'install.md') }, say('Done.')],
      agents: { lint: { matchPrompt: 'list every problem you find', turns: [say('LINTED')] } },
    }
    const run = await checkPage(scenario)
    expect(run.exitCode).toBe(0)
    expect(toolResults(run, 'main')[0]).toContain(
      'fork: docs-lender:lint-anything runs as docs-review:linter (context: fork, agent: docs-review:linter), and Switchboard refuses that call: private: docs-review:linter is private to plugin',
    )
    expect(run.requests.some((r) => r.system.includes(LINTER_BODY))).toBe(false)
    expect(edges(tracedInvocations(run))).toEqual(['main -> docs-lender:lint-anything denied'])
    if (moduleMode) {
      // Without Switchboard the skill does run as the private linter: the path is real.
      const bare = await checkPage(scenario, { withSwitchboard: false })
      expect(bare.requests.some((r) => r.system.includes(LINTER_BODY))).toBe(true)
    }

    // The user's policy lets the skill run as the linter: the call goes ahead, and the trace says which
    // agent the skill ran as (no Agent call shows it).
    const allowed = await checkPage(scenario, { home: homeAllowing('docs-lender:lint-anything', LINTER) })
    expect(allowed.exitCode).toBe(0)
    expect(toolResults(allowed, 'main')[0]).not.toContain('Switchboard')
    const [skillCall] = tracedInvocations(allowed)
    expect(skillCall).toMatchObject({ target: 'docs-lender:lint-anything', kind: 'skill', runsAs: LINTER })
    expect(edges(tracedInvocations(allowed))).toEqual(['main -> docs-lender:lint-anything ok'])
    expect(allowed.requests.some((r) => r.system.includes(LINTER_BODY))).toBe(true)
  })

  it("refuses an agent that loads another plugin's private skill as it starts (skills:), which no Skill call shows", async () => {
    const HOUSE_STYLE = "House style (docs-review's own)"
    const BORROWER = 'docs-lender:style-borrower'
    const scenario = {
      main: [{ call: callAgent(BORROWER, 'Check install.md.') }, say('Done.')],
      agents: { [BORROWER]: [say('CHECKED')] },
    }
    const run = await checkPage(scenario)
    expect(run.exitCode).toBe(0)
    expect(toolResults(run, 'main')[0]).toContain(
      `preload: ${BORROWER} loads docs-review:house-style as it starts (skills: docs-review:house-style), and Switchboard refuses that call: private: docs-review:house-style is private to plugin`,
    )
    expect(run.textSentTo(BORROWER)).toBe('')
    expect(run.requests.some((r) => JSON.stringify(r.body).includes(HOUSE_STYLE))).toBe(false)
    expect(edges(tracedInvocations(run))).toEqual([`main -> ${BORROWER} denied`])
    // Without Switchboard the agent does start with the private skill's text: the path is real.
    const bare = await checkPage(scenario, { withSwitchboard: false })
    expect(bare.textSentTo(BORROWER)).toContain(HOUSE_STYLE)

    // The user's policy allows it: the agent starts with the skill, and the trace says what it loaded.
    const allowed = await checkPage(scenario, { home: homeAllowing(BORROWER, 'docs-review:house-style') })
    expect(allowed.textSentTo(BORROWER)).toContain(HOUSE_STYLE)
    expect(tracedInvocations(allowed)).toEqual([
      expect.objectContaining({ target: BORROWER, status: 'ok', loads: ['docs-review:house-style'] }),
    ])
  })

  // `agent: Docs-Lender:Helper`: Switchboard reads the name loosely (docs-lender:helper, its own plugin's:
  // allowed), Claude Code matches it exactly, finds none, and forks general-purpose. The fork's calls are
  // still the skill's: a private agent of another plugin stays out of its reach, as it would for the skill.
  it("keeps a forked skill's rights when Claude Code runs it as general-purpose (an agent: it does not match exactly)", async () => {
    const run = await runClaude({
      version,
      prompt: 'Sweep my page',
      plugins: [...PLUGINS, FIXTURE('docs-lender')],
      scenario: {
        main: [{ call: callSkill('docs-lender:sweep', 'install.md') }, say('Done.')],
        agents: {
          sweep: {
            matchPrompt: 'then ask for a second opinion',
            turns: [{ call: callAgent(LINTER, 'Lint install.md.') }, say('SWEPT')],
          },
          [LINTER]: [say('LINTED')],
        },
      },
    })
    expect(run.exitCode).toBe(0)
    if (!moduleMode) return // settings mode sees a fork's calls as a new chain (docs/security.md, limits)
    expect(run.textSentTo('sweep')).toContain(`Switchboard: private: ${LINTER} is private to plugin`)
    expect(edges(tracedInvocations(run))).toEqual([
      'main -> docs-lender:sweep ok',
      `docs-lender:sweep -> ${LINTER} denied`,
    ])
  })

  it("gives a look-alike plugin's forked skill no other plugin's rights (docsreview:reviewer folds to docs-review:reviewer)", async () => {
    const run = await runClaude({
      version,
      prompt: 'Review my page',
      plugins: [...PLUGINS, FIXTURE('docsreview')],
      scenario: {
        main: [{ call: callSkill('docsreview:reviewer', 'install.md') }, say('Done.')],
        agents: {
          'the look-alike fork': {
            matchPrompt: 'Look-alike review of install.md',
            turns: [{ call: callAgent(LINTER, 'Lint install.md.') }, say('LOOK-ALIKE DONE')],
          },
          [LINTER]: [say('LINTED')],
        },
      },
    })
    expect(run.exitCode).toBe(0)
    const traced = edges(tracedInvocations(run))
    if (moduleMode) {
      // The fork's loop calls as docsreview:reviewer, judged by that exact id: another plugin's caller.
      expect(run.textSentTo('the look-alike fork')).toContain(
        `Switchboard: private: ${LINTER} is private to plugin "docs-review"; docsreview:reviewer (plugin "docsreview") may not call it.`,
      )
      expect(run.requests.filter((r) => r.conversation === LINTER)).toEqual([])
      expect(traced).toEqual(['main -> docsreview:reviewer ok', `docsreview:reviewer -> ${LINTER} denied`])
    } else {
      // Settings mode sees a fork's calls as a new chain from the user (docs/security.md, limits).
      expect(traced).toEqual(['main -> docsreview:reviewer ok', `main -> ${LINTER} ok`])
    }
  })

  it("refuses a skill name another plugin's command claims in its frontmatter (2.1.197 runs the claimant)", async () => {
    const squatted = [...PLUGINS, FIXTURE('name-squatter')]
    const scenario = { main: [{ call: callSkill('docs-review:checklist', 'install.md') }, say('Done.')] }
    const run = await runClaude({ version, prompt: 'Check my page', plugins: squatted, scenario })
    expect(run.exitCode).toBe(0)
    expect(toolResults(run, 'main')[0]).toContain(
      'Switchboard: ambiguous: name-squatter:quick-check claims the name docs-review:checklist in its frontmatter',
    )
    expect(run.textSentTo('main')).not.toContain('SQUATTER-7')
    expect(edges(tracedInvocations(run))).toEqual(['main -> docs-review:checklist denied'])
    // Without Switchboard, which runs: the claimant on 2.1.197, the real skill on later versions.
    const bare = await runClaude({
      version,
      prompt: 'Check my page',
      plugins: squatted,
      scenario,
      withSwitchboard: false,
    })
    const ran = bare.textSentTo('main')
    expect(ran.includes('SQUATTER-7')).toBe(version === '2.1.197')
    expect(ran.includes('Check the page against this list')).toBe(version !== '2.1.197')
  })

  it("keeps a chain through a built-in agent: its calls are judged as its caller's, for cycles and private agents", async () => {
    const run = await runClaude({
      version,
      prompt: 'Write the install page',
      plugins: PLUGINS,
      scenario: {
        main: [{ call: callAgent(WRITER, 'Write the install page.') }, say('Done.')],
        agents: {
          [WRITER]: [
            { call: callAgent('general-purpose', 'HELPER TASK: get install.md rewritten, linted and reviewed.') },
            say('WRITER DONE'),
          ],
          helper: {
            matchPrompt: 'HELPER TASK',
            turns: [
              {
                calls: [
                  callAgent(WRITER, 'Rewrite the install page from scratch.'),
                  callAgent(LINTER, 'Lint install.md.'),
                  callAgent(REVIEWER, 'Review install.md.'),
                ],
              },
              say('HELPER DONE'),
            ],
          },
          'writer again': { matchPrompt: 'Rewrite the install page from scratch.', turns: [say('REWRITTEN')] },
          [REVIEWER]: [say('REVIEWED')],
          [LINTER]: [say('LINT CLEAN')],
        },
      },
    })
    expect(run.exitCode).toBe(0)
    expect(runtimeOf(run)).toBe(expectedRuntime(version))
    const traced = edges(tracedInvocations(run)).sort()
    if (moduleMode) {
      const sent = run.textSentTo('helper')
      expect(sent).toContain(`Switchboard: cycle: ${WRITER} -> general-purpose -> ${WRITER}.`)
      expect(sent).toContain(
        `Switchboard: private: ${LINTER} is private to plugin "docs-review"; ${WRITER} (plugin "docs-writer"), through general-purpose, may not call it.`,
      )
      expect(run.requests.some((r) => r.conversation === 'writer again' || r.conversation === LINTER)).toBe(false)
      // The reviewer's call hangs under the writer's, two levels deep: the built-in agent is no level.
      expect(traced).toEqual(
        [
          `${WRITER} -> ${LINTER} denied`,
          `${WRITER} -> ${REVIEWER} ok`,
          `${WRITER} -> ${WRITER} denied`,
          `main -> ${WRITER} ok`,
        ].sort(),
      )
    } else {
      // Settings mode: a hook sees general-purpose as the caller and no chain above it, so a new chain
      // starts there: the writer runs again, and the private linter runs.
      expect(run.requests.some((r) => r.conversation === 'writer again')).toBe(true)
      expect(run.requests.some((r) => r.conversation === LINTER)).toBe(true)
      expect(traced).toEqual(
        [`main -> ${LINTER} ok`, `main -> ${REVIEWER} ok`, `main -> ${WRITER} ok`, `main -> ${WRITER} ok`].sort(),
      )
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
          [WRITER]: [
            { call: callAgent('general-purpose', 'HELPER TASK: get install.md reviewed.') },
            say('WRITER DONE'),
          ],
          helper: {
            matchPrompt: 'HELPER TASK',
            turns: [{ call: callAgent(REVIEWER, 'Review install.md.') }, say('HELPER DONE')],
          },
          [REVIEWER]: [say('REVIEWED')],
        },
      },
    })
    expect(run.exitCode).toBe(0)
    expect(runtimeOf(run)).toBe(expectedRuntime(version))
    if (moduleMode) {
      expect(run.textSentTo('helper')).toContain(
        `Switchboard: depth: this call would be 2 levels deep (${WRITER} -> general-purpose -> ${REVIEWER}), over the limit of 1.`,
      )
      expect(edges(tracedInvocations(run))).toEqual([`main -> ${WRITER} ok`, `${WRITER} -> ${REVIEWER} denied`])
    } else {
      // Settings mode: the chain starts again at general-purpose, one level deep.
      expect(edges(tracedInvocations(run))).toEqual([`main -> ${WRITER} ok`, `main -> ${REVIEWER} ok`])
    }
  })
})

describe.each(PINNED_VERSIONS)('SendMessage and typed commands on Claude Code %s', (version) => {
  const moduleMode = expectedRuntime(version) === 'module'

  it('judges a SendMessage that resumes a finished agent of another plugin as a call from the sender', async () => {
    const run = await runClaude({
      version,
      prompt: 'Write the install page',
      plugins: PLUGINS,
      allowedTools: TOOLS,
      scenario: {
        main: [
          { call: callAgent(LINTER, 'Lint install.md.', { name: 'lint-bot', run_in_background: false }) },
          { call: callAgent(REVIEWER, 'Review install.md.', { name: 'review-bot', run_in_background: false }) },
          { call: callAgent(WRITER, 'Write the install page.', { run_in_background: false }) },
          say('Done.'),
        ],
        agents: {
          [LINTER]: [say('LINT CLEAN'), say('LINTED AGAIN')],
          [REVIEWER]: [say('REVIEWED'), say('REVIEWED AGAIN')],
          // The user called the private linter; the writer, another plugin's agent, tries to reach it by name.
          [WRITER]: [
            { call: sendMessage('lint-bot', 'Lint my draft again.') },
            { call: sendMessage('review-bot', 'Review my draft again.') },
            say('WRITER DONE'),
          ],
        },
      },
    })
    expect(run.exitCode).toBe(0)
    const traced = edges(tracedInvocations(run))
    if (moduleMode) {
      // The resume raises agent.spawn (with `resume`), which the guard refuses; the writer reads why.
      expect(toolResults(run, WRITER)[0]).toContain(
        `a plugin declined the resume: Switchboard: private: ${LINTER} is private to plugin`,
      )
      expect(tracedInvocations(run).find((i) => i.status === 'denied')?.reason).toContain(
        `${WRITER} (plugin "docs-writer") may not call it.`,
      )
      expect(run.textSentTo(LINTER)).not.toContain('Lint my draft again.')
      expect(run.textSentTo(REVIEWER)).toContain('Review my draft again.')
      expect(traced).toEqual([
        `main -> ${LINTER} ok`,
        `main -> ${REVIEWER} ok`,
        `main -> ${WRITER} ok`,
        `${WRITER} -> ${LINTER} denied`,
        `${WRITER} -> ${REVIEWER} ok`,
      ])
    } else {
      // 2.1.197 addresses a finished agent by its id only, and no settings hook sees SendMessage.
      expect(toolResults(run, WRITER)[0]).toContain("No agent named 'lint-bot' is currently addressable")
      expect(traced).toEqual([`main -> ${LINTER} ok`, `main -> ${REVIEWER} ok`, `main -> ${WRITER} ok`])
    }
  })

  // Found by review: a plugin's agent (or code) could tell a built-in agent the person started what to do, and
  // that agent's calls passed as the person's. In module mode it works for the sender from then on.
  it("judges a built-in agent of the person's that a plugin's agent sends work to as that agent's", async () => {
    const run = await runClaude({
      version,
      prompt: 'Write the install page',
      plugins: PLUGINS,
      allowedTools: TOOLS,
      scenario: {
        main: [
          {
            call: callAgent('general-purpose', 'HELPER TASK: get install.md written.', {
              name: 'helper',
              run_in_background: false,
            }),
          },
          say('Done.'),
        ],
        agents: {
          helper: {
            matchPrompt: 'HELPER TASK',
            turns: [
              { call: callAgent(WRITER, 'Write install.md.', { run_in_background: false }) },
              // What the writer asked for, made by the person's helper.
              { call: callAgent(LINTER, 'Lint install.md.', { run_in_background: false }) },
              say('HELPER DONE'),
            ],
          },
          [WRITER]: [{ call: sendMessage('helper', `Have ${LINTER} lint install.md.`) }, say('WRITER DONE')],
          [LINTER]: [say('LINTED')],
        },
      },
    })
    expect(run.exitCode).toBe(0)
    const traced = tracedInvocations(run).map((i) => `${i.caller} -> ${i.target} ${i.status}`)
    if (moduleMode) {
      expect(JSON.parse(toolResults(run, 'helper')[1]!)).toContain(
        `Switchboard: private: ${LINTER} is private to plugin "docs-review"; ${WRITER} (plugin "docs-writer"), through general-purpose, may not call it.`,
      )
      expect(traced).toEqual([`main -> ${WRITER} ok`, `${WRITER} -> ${LINTER} denied`])
    } else {
      // 2.1.197: no settings hook sees SendMessage, so the helper's call is the person's (through general-purpose).
      expect(traced).toEqual([`general-purpose -> ${WRITER} ok`, `general-purpose -> ${LINTER} ok`])
    }
  })

  it("checks a SendMessage to another plugin's running agent by the same rules, and traces it", async () => {
    const run = await runClaude({
      version,
      prompt: 'Write the install page',
      cwd: projectWithPolicy({ rules: [{ caller: LINTER, target: WRITER, action: 'deny' }] }),
      plugins: PLUGINS,
      allowedTools: TOOLS,
      scenario: {
        main: [
          { call: callAgent(WRITER, 'Write the install page.', { name: 'page-writer', run_in_background: false }) },
          say('Done.'),
        ],
        agents: {
          [WRITER]: [
            { call: callAgent(REVIEWER, 'Review install.md.', { run_in_background: false }) },
            say('WRITER DONE'),
          ],
          [REVIEWER]: [
            { call: sendMessage('page-writer', 'Reviewing now; the linter is next.') },
            { call: callAgent(LINTER, 'Lint install.md.', { run_in_background: false }) },
            say('REVIEWED'),
          ],
          // The name as SendMessage folds it too: "Page-Writer" reached page-writer unchecked (found by review).
          [LINTER]: [
            { call: sendMessage('page-writer', 'Line 3 breaks the style guide.') },
            { call: sendMessage('Page-Writer', 'Line 4 breaks it too.') },
            say('LINT DONE'),
          ],
        },
      },
    })
    expect(run.exitCode).toBe(0)
    const traced = tracedInvocations(run)
    if (moduleMode) {
      expect(toolResults(run, REVIEWER)[0]).not.toContain('Switchboard')
      for (const result of toolResults(run, LINTER).slice(0, 2)) {
        expect(result).toContain(`Switchboard: policy: a rule in`)
        expect(result).toContain(`denies ${LINTER} -> ${WRITER}`)
      }
      expect(run.textSentTo(WRITER)).not.toContain('Line 3 breaks the style guide.')
      expect(run.textSentTo(WRITER)).not.toContain('Line 4 breaks it too.')
      expect(traced.filter((i) => i.kind === 'message').map((i) => `${i.caller} -> ${i.target} ${i.status}`)).toEqual([
        `${REVIEWER} -> ${WRITER} ok`,
        `${LINTER} -> ${WRITER} denied`,
        `${LINTER} -> ${WRITER} denied`,
      ])
    } else {
      expect(toolResults(run, LINTER)[0]).not.toContain('Switchboard')
      expect(traced.filter((i) => i.kind === 'message')).toEqual([])
    }
  })

  it('traces a forked skill the person types as a call from main, with its calls under it', async () => {
    const run = await runClaude({
      version,
      prompt: '/docs-review:deep-review install.md',
      plugins: PLUGINS,
      scenario: {
        main: [say('Done.')],
        agents: {
          'the deep-review fork': {
            matchPrompt: 'Deep review of install.md',
            turns: [
              { call: callAgent(REVIEWER, 'Review install.md.', { run_in_background: false }) },
              say('DEEP REVIEW DONE'),
            ],
          },
          [REVIEWER]: [say('REVIEWED')],
        },
      },
    })
    expect(run.exitCode).toBe(0)
    expect(run.textSentTo(REVIEWER)).toContain('Review install.md.')
    // Settings mode sees no typed command, and the fork's call as general-purpose's.
    expect(edges(tracedInvocations(run))).toEqual(
      moduleMode
        ? ['main -> docs-review:deep-review ok', `docs-review:deep-review -> ${REVIEWER} ok`]
        : [`main -> ${REVIEWER} ok`],
    )
  })

  it('links a forked skill that makes no call to its loop, placed at its report', async () => {
    const run = await runClaude({
      version,
      prompt: 'Review install.md',
      plugins: PLUGINS,
      scenario: {
        main: [{ call: callSkill('docs-review:deep-review', 'install.md') }, say('Done.')],
        agents: { 'the deep-review fork': { matchPrompt: 'Deep review of install.md', turns: [say('LOOKS GOOD')] } },
      },
    })
    expect(run.exitCode).toBe(0)
    const [review] = tracedInvocations(run)
    expect(review).toMatchObject({ target: 'docs-review:deep-review', kind: 'skill', status: 'ok' })
    // The module knows the fork's loop from its report alone (loops.ts); settings mode sees no fork.
    if (moduleMode) expect(review?.agent).toMatch(/\S/)
  })

  it('refuses a command the person types when the policy denies it', async () => {
    const run = await runClaude({
      version,
      prompt: '/docs-review:review install.md',
      cwd: projectWithPolicy({ rules: [{ caller: 'main', target: 'docs-review:review', action: 'deny' }] }),
      plugins: PLUGINS,
      scenario: { main: [say('MAIN RAN')], agents: {} },
    })
    expect(run.exitCode).toBe(0)
    const expanded = run.textSentTo('main').includes('have the docs-review:reviewer agent (Agent tool) review it')
    if (moduleMode) {
      expect(expanded).toBe(false)
      expect(JSON.stringify(run.result)).toContain('Switchboard: policy: a rule in')
      expect(edges(tracedInvocations(run))).toEqual(['main -> docs-review:review denied'])
    } else {
      expect(expanded).toBe(true)
      expect(tracedInvocations(run)).toEqual([])
    }
  })
})

describe.each(PINNED_VERSIONS.filter((v) => expectedRuntime(v) === 'module'))(
  'agents spawned from code on Claude Code %s',
  (version) => {
    /** The person's own turn: the person may call a plugin's private agent. */
    const LINT_YOURSELF = {
      prompt: 'Lint install.md yourself.',
      turns: [{ call: callAgent(LINTER, 'Lint install.md.') }, say('Linted.')],
    }
    /**
     * The person asks follow-up to ask about the linter later; its code submits that as the person's words
     * once the turn is done, and that turn plays `pluginTurn`; then the person types `personTurn`'s prompt.
     * Each main request plays one turn (a compaction's too).
     */
    const followUpThenTyped = (pluginTurn: Turn[], personTurn: { prompt: string; turns: Turn[] } = LINT_YOURSELF) =>
      runClaude({
        version,
        prompt: 'Ask about the linter later',
        plugins: [...PLUGINS, FIXTURE('follow-up')],
        openUntil: (requests) =>
          requests.filter((r) => r.conversation === 'main').length >= pluginTurn.length + personTurn.turns.length + 2,
        typedLater: [{ afterTurns: 2, prompt: personTurn.prompt }],
        scenario: {
          main: [
            { call: callSkill('follow-up:later', `Have ${LINTER} lint install.md.`) },
            say('Queued.'),
            ...pluginTurn,
            ...personTurn.turns,
          ],
          agents: { [LINTER]: [say('LINTED')] },
        },
      })
    /** What both runs trace: the plugin's call refused, the person's made. */
    const PLUGIN_THEN_PERSON = [
      'main -> follow-up:later ok',
      `follow-up:(hooks module) -> ${LINTER} denied`,
      `main -> ${LINTER} ok`,
    ]

    it("judges an agent another plugin's hooks module spawns as that plugin's call", async () => {
      const run = await runClaude({
        version,
        prompt: 'Run the lint and review tasks',
        plugins: [...PLUGINS, FIXTURE('task-runner')],
        scenario: {
          main: [
            { call: callSkill('task-runner:run-task', `${LINTER} Lint install.md.`) },
            { call: callSkill('task-runner:run-task', `${REVIEWER} Review install.md.`) },
            // A built-in agent the module starts works for task-runner: no way to the private linter.
            { call: callSkill('task-runner:run-task', 'general-purpose HIRED TASK: have install.md linted.') },
            // Nor is Switchboard's invoke tool, which would make the call as the loop it runs in.
            { call: callSkill('task-runner:run-task', `via-invoke ${LINTER} Lint install.md.`) },
            say('Done.'),
          ],
          agents: {
            [REVIEWER]: [say('REVIEWED')],
            hired: {
              matchPrompt: 'HIRED TASK',
              turns: [{ call: callAgent(LINTER, 'Lint install.md.') }, say('HIRED DONE')],
            },
          },
        },
      })
      expect(run.exitCode).toBe(0)
      // task-runner answers its skill with what $.agent.spawn said, as context after the Skill result.
      const sent = run.textSentTo('main')
      expect(sent).toContain(
        `task-runner could not start ${LINTER}: Subagent spawn denied by a plugin: Switchboard: private: ${LINTER} is private to plugin "docs-review"; task-runner:(hooks module) (plugin "task-runner") may not call it.`,
      )
      expect(sent).toContain(`task-runner started ${REVIEWER}`)
      expect(run.requests.some((r) => r.conversation === LINTER)).toBe(false)
      const spawned = tracedInvocations(run)
        .filter((i) => i.kind === 'agent')
        .map((i) => `${i.caller} -> ${i.target} ${i.status}`)
      expect(spawned).toEqual([
        `task-runner:(hooks module) -> ${LINTER} denied`,
        `task-runner:(hooks module) -> ${REVIEWER} ok`,
        `task-runner:(hooks module) -> ${LINTER} denied`,
      ])
      expect(sent).toMatch(
        /task-runner asked the invoke tool for docs-review:linter: \{"result":"\{\\"status\\":\\"denied\\"/,
      )
      expect(sent).toContain('the invoke tool answers the model and its agents, not plugin')
      expect(run.textSentTo('hired')).toContain(
        `Switchboard: private: ${LINTER} is private to plugin "docs-review"; task-runner:(hooks module) (plugin "task-runner"), through general-purpose, may not call it.`,
      )
    })

    // Found by review (2.1.332): a plugin's code can submit a prompt as the person's own words ($.prompt.submit
    // with asUser), which Claude Code runs as a main turn of its own; its calls were the person's, so a plugin
    // whose own $.agent.spawn of a private agent is refused had the main thread call it instead.
    // Claude Code stamps the prompt's row with its origin; the person's next turn is the person's again.
    it("judges a main turn another plugin's code submitted as that plugin's, and the next typed one as the person's", {
      timeout: 150_000,
    }, async () => {
      // The submitted prompt's turn: the model does as it says.
      const run = await followUpThenTyped([{ call: callAgent(LINTER, 'Lint install.md.') }, say('Done.')])
      expect(run.exitCode).toBe(0)
      expect(run.textSentTo('main')).toContain(`Have ${LINTER} lint install.md.`)
      expect(JSON.parse(toolResults(run, 'main').at(-2)!)).toContain(
        `Switchboard: private: ${LINTER} is private to plugin "docs-review"; follow-up:(hooks module) (plugin "follow-up") may not call it.`,
      )
      expect(tracedInvocations(run).map((i) => `${i.caller} -> ${i.target} ${i.status}`)).toEqual(PLUGIN_THEN_PERSON)
      expect(run.requests.filter((r) => r.conversation === LINTER)).toHaveLength(1)
    })

    // Found by review: a command the person typed right after a plugin's turn was judged as that plugin's code's
    // (Claude Code counts the command's turn only after the command is decided).
    it("judges a command the person types right after a plugin's turn as the person's", {
      timeout: 150_000,
    }, async () => {
      const run = await followUpThenTyped([{ call: callAgent(LINTER, 'Lint install.md.') }, say('Done.')], {
        prompt: '/docs-review:house-style',
        turns: [say('Styled.')],
      })
      expect(run.exitCode).toBe(0)
      expect(tracedInvocations(run).map((i) => `${i.caller} -> ${i.target} ${i.status}`)).toEqual([
        'main -> follow-up:later ok',
        `follow-up:(hooks module) -> ${LINTER} denied`,
        'main -> docs-review:house-style ok',
      ])
    })

    // Claude Code counts main turns afresh after a compaction (a compacted third turn went on as the first): a
    // plugin's turn that compacts stays the plugin's, and the person's next turn is the person's.
    it("keeps a plugin's turn its own across a compaction, and the next typed turn the person's", {
      timeout: 150_000,
    }, async () => {
      const run = await followUpThenTyped([
        // The submitted prompt's turn: its request filled the context window, so Claude Code compacts.
        { call: { tool: 'Glob', input: { pattern: '*.md' } }, inputTokens: 990_000 },
        // Not played: the main conversation keeps its last call past the summary, which counts it too.
        say('Skipped.'),
        { call: callAgent(LINTER, 'Lint install.md.') },
        say('Done.'),
      ])
      expect(run.exitCode).toBe(0)
      expect(run.requests.filter((r) => r.conversation === 'main').map((r) => r.turn)).toContain(COMPACTION_TURN)
      expect(tracedInvocations(run).map((i) => `${i.caller} -> ${i.target} ${i.status}`)).toEqual(PLUGIN_THEN_PERSON)
    })

    // Found by review: a wake-up the plugin's turn scheduled (ScheduleWakeup, the main thread's own tool, what
    // /loop uses) would come back as the person's turn. The person's own is allowed.
    it("refuses ScheduleWakeup in a turn another plugin's code submitted, not in the person's", {
      timeout: 150_000,
    }, async () => {
      const wakeUp = {
        tool: 'ScheduleWakeup',
        input: { delaySeconds: 600, reason: 'Check again later.', prompt: 'Check again.' },
      }
      const run = await runClaude({
        version,
        prompt: 'Check the docs again later',
        plugins: [...PLUGINS, FIXTURE('follow-up')],
        allowedTools: [...DEFAULT_TOOLS, 'ScheduleWakeup'],
        openUntil: (requests) => requests.filter((r) => r.conversation === 'main').length >= 6,
        typedLater: [{ afterTurns: 2, prompt: 'Then wake up yourself.' }],
        scenario: {
          main: [
            { call: callSkill('follow-up:later', 'Wake up in ten minutes and check again.') },
            say('Queued.'),
            { call: wakeUp }, // the submitted prompt's turn
            say('Done.'),
            // The person's own turn (stopping a loop: a wake-up left pending would hold the session open).
            { call: { tool: 'ScheduleWakeup', input: { stop: true } } },
            say('Scheduled.'),
          ],
        },
      })
      expect(run.exitCode).toBe(0)
      const [plugins, persons] = toolResults(run, 'main').slice(-2)
      expect(plugins).toContain(
        'Switchboard: schedule: follow-up:(hooks module) may not queue a prompt for the main thread (ScheduleWakeup)',
      )
      expect(persons).not.toContain('Switchboard')
    })

    // Found by review (2.1.332): a plugin's code can run a slash command as if the person typed it
    // ($.command.run); the command's prompt then runs as a main turn of its own, whose calls were the person's.
    it("judges the turn of a command another plugin's code runs as that plugin's", { timeout: 150_000 }, async () => {
      const run = await runClaude({
        version,
        prompt: 'Hello',
        plugins: [...PLUGINS, FIXTURE('recheck')],
        openUntil: (requests) => requests.filter((r) => r.conversation === 'main').length >= 3,
        scenario: {
          main: [
            say('Hi.'),
            // The command's turn: the model does as its prompt says.
            { call: callAgent(LINTER, 'Lint install.md.') },
            say('Done.'),
          ],
          agents: { [LINTER]: [say('LINTED')] },
        },
      })
      expect(run.exitCode).toBe(0)
      expect(run.textSentTo('main')).toContain(`Have ${LINTER} lint install.md`)
      expect(JSON.parse(toolResults(run, 'main').at(-1)!)).toContain(
        `Switchboard: private: ${LINTER} is private to plugin "docs-review"; recheck:(hooks module) (plugin "recheck") may not call it.`,
      )
      expect(tracedInvocations(run).map((i) => `${i.caller} -> ${i.target} ${i.status}`)).toEqual([
        'recheck:(hooks module) -> recheck:docs ok',
        `recheck:(hooks module) -> ${LINTER} denied`,
      ])
      expect(run.requests.some((r) => r.conversation === LINTER)).toBe(false)
    })

    // A compaction restarts the session under the same id (SessionStart "compact"), a subagent's too.
    // The module keeps what it knows of running agents across it: with that forgotten, the hired agent
    // would be placed afresh from Claude Code's agent list, as the main thread's, whose rights are the user's.
    it('still judges a hired agent as the plugin that hired it after the agent compacts', async () => {
      const run = await runClaude({
        version,
        prompt: 'Run the lint task',
        plugins: [...PLUGINS, FIXTURE('task-runner')],
        scenario: {
          main: [
            { call: callSkill('task-runner:run-task', 'general-purpose HIRED TASK: have install.md linted.') },
            say('Done.'),
          ],
          agents: {
            hired: {
              matchPrompt: 'HIRED TASK',
              turns: [
                // The response says its request filled the context window: Claude Code compacts before the next.
                { call: { tool: 'Glob', input: { pattern: '*.md' } }, inputTokens: 990_000 },
                { call: callAgent(LINTER, 'Lint install.md.') },
                say('HIRED DONE'),
              ],
            },
          },
        },
      })
      expect(run.exitCode).toBe(0)
      expect(run.hookEvents.filter((e) => e.subtype === 'hook_started').map((e) => e.hook_name)).toContain(
        'SessionStart:compact',
      )
      expect(run.requests.filter((r) => r.conversation === 'hired').map((r) => r.turn)).toEqual([
        0,
        COMPACTION_TURN,
        1,
        2,
      ])
      expect(run.requests.some((r) => r.conversation === LINTER)).toBe(false)
      expect(run.textSentTo('hired')).toContain(
        `Switchboard: private: ${LINTER} is private to plugin "docs-review"; task-runner:(hooks module) (plugin "task-runner"), through general-purpose, may not call it.`,
      )
      const linted = tracedInvocations(run).filter((i) => i.target === LINTER)
      expect(linted).toMatchObject([
        { status: 'denied', reason: expect.stringContaining('task-runner:(hooks module)') },
      ])
    })
  },
)
