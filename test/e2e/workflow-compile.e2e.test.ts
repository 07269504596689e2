// `switchboard workflow compile` on the real Claude Code: the scripted model hands the compiled script
// of an example workflow to the native Workflow tool (2.1.331, 2.1.332), its agents run with their
// filled prompts, the hooks module guards and traces each call (a policy deny reaches the script),
// and the result comes back to the main thread. 2.1.197 has no Workflow tool; compiling still works.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PINNED_VERSIONS } from '../helpers/claude.ts'
import { runCli } from '../helpers/cli.ts'
import { EXAMPLES } from '../helpers/plugins.ts'
import { edges, expectedRuntime, tracedInvocations } from '../helpers/trace.ts'
import { callSkill, DEFAULT_TOOLS, runClaude, say } from '../harness/index.ts'
import type { ClaudeRun } from '../harness/index.ts'

const SOURCES = EXAMPLES.flatMap((dir) => ['--plugin-dir', dir])
const ARTICLE = 'Kites are fun.'

function compiled(workflow: string): string {
  const result = runCli(['workflow', 'compile', workflow, ...SOURCES])
  expect(result.stderr.replace(/^warning: .*\n?/gm, '')).toBe('')
  expect(result.code).toBe(0)
  return result.stdout
}

/** The request section of the envelope an agent received (the module wraps a call that has a directive), de-indented. */
function requestOf(run: ClaudeRun, conversation: string): string {
  const first = run.requests.find((r) => r.conversation === conversation)?.messages[0]?.content
  const text = typeof first === 'string' ? first : JSON.stringify(first)
  const match = /=== sb-[0-9a-f]+ request ===\n([\s\S]*?)\n {2}\n {2}=== sb-/.exec(text)
  return (match?.[1] ?? `(no request section in: ${text.slice(0, 300)})`).replace(/^ {2}/gm, '')
}

/** The script's return, as the task notification brings it to the main thread (`<`, `>`, `&` escaped). */
function resultOf(run: ClaudeRun): {
  status: string
  outputs: Record<string, unknown>
  steps: Record<string, { status: string; attempts: number; error?: string }>
} {
  const match = /<result>([\s\S]*?)<\/result>/.exec(run.textSentTo('main'))
  if (!match) throw new Error(`no workflow result reached the main thread: ${run.textSentTo('main').slice(-800)}`)
  return JSON.parse(match[1]!.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&'))
}

describe.each(PINNED_VERSIONS.filter((v) => expectedRuntime(v) === 'module'))(
  'a compiled workflow on the Workflow tool of Claude Code %s',
  (version) => {
    it('runs Growth -> All: each agent gets its filled prompt, the command through a Skill call, every call guarded and traced, the result back', async () => {
      const run = await runClaude({
        version,
        prompt: 'Distribute the article',
        plugins: EXAMPLES,
        allowedTools: [...DEFAULT_TOOLS, 'Workflow'],
        timeoutMs: 150_000,
        scenario: {
          main: [
            {
              call: {
                tool: 'Workflow',
                input: { script: compiled('tdd-growth:distribute'), args: { article: ARTICLE } },
              },
            },
            say('Started.'),
          ],
          agents: {
            'tdd-editor:editor': [say('EDITED: Kites are fun.')],
            'tdd-design:illustrator': [say('{"svg": "<svg/>", "alt": "a kite"}')],
            'seo-runner': {
              matchPrompt: 'with skill "tdd-growth:seo"',
              turns: [
                { call: callSkill('tdd-growth:seo', `content: ${ARTICLE}\n[[switchboard into=seo_report]]`) },
                say('{"score": 8, "title": "Kites", "keywords": ["kites"]}'),
              ],
            },
            'tdd-growth:summarizer': [
              say('{"title": "Kites", "summary": "Fly one.", "image_alt": "a kite", "keywords": ["kites"]}'),
            ],
          },
        },
      })
      expect(run.exitCode).toBe(0)
      expect(requestOf(run, 'tdd-editor:editor')).toBe(`draft: ${ARTICLE}\nillustrate: no`)
      expect(requestOf(run, 'tdd-design:illustrator')).toBe(`content: ${ARTICLE}\nstyle: flat`)
      // The command's helper agent is told the exact Skill call (the harness indents the script's prompt).
      expect(run.textSentTo('seo-runner')).toContain(
        `Call the Skill tool once, with skill "tdd-growth:seo" and as args exactly the text between the two fence lines below`,
      )
      expect(run.textSentTo('seo-runner')).toContain(
        `  \`\`\`\n  content: ${ARTICLE}\n  [[switchboard into=seo_report]]\n  \`\`\``,
      )
      expect(requestOf(run, 'tdd-growth:summarizer')).toBe(
        [
          'article: EDITED: Kites are fun.',
          'illustration: {"svg":"<svg/>","alt":"a kite"}', // one short plain line: inline
          'seo:',
          '```',
          '{"score":8,"title":"Kites","keywords":["kites"]}',
          '```',
        ].join('\n'),
      )
      // Judged as calls from main (the tool starts its agents from the session); the Skill call through the general-purpose agent too.
      const traced = tracedInvocations(run)
      expect(edges(traced).sort()).toEqual([
        'main -> tdd-design:illustrator ok',
        'main -> tdd-editor:editor ok',
        'main -> tdd-growth:seo ok',
        'main -> tdd-growth:summarizer ok',
      ])
      expect(traced.map((i) => [i.target, i.into]).sort()).toEqual([
        ['tdd-design:illustrator', 'illustration'],
        ['tdd-editor:editor', 'edited_article'],
        ['tdd-growth:seo', 'seo_report'],
        ['tdd-growth:summarizer', 'launch_brief'],
      ])
      const result = resultOf(run)
      expect(result.status).toBe('ok')
      expect(result.outputs).toEqual({
        brief: { title: 'Kites', summary: 'Fly one.', image_alt: 'a kite', keywords: ['kites'] },
        article: 'EDITED: Kites are fun.',
      })
    }, 180_000)

    it("gets a policy rule's deny into the script: not retried, the run goes on as on_error says", async () => {
      const cwd = mkdtempSync(join(tmpdir(), 'switchboard-compile-'))
      mkdirSync(join(cwd, '.claude', 'switchboard'), { recursive: true })
      writeFileSync(
        join(cwd, '.claude', 'switchboard', 'policy.json'),
        JSON.stringify({ rules: [{ caller: 'main', target: 'tdd-design:illustrator', action: 'deny' }] }),
      )
      const run = await runClaude({
        version,
        cwd,
        prompt: 'Illustrate the draft',
        plugins: EXAMPLES,
        allowedTools: [...DEFAULT_TOOLS, 'Workflow'],
        // Compiled where no policy applies: a rule added later is met at run time, by the guard.
        scenario: {
          main: [
            {
              call: {
                tool: 'Workflow',
                input: { script: compiled('tdd-editor:illustrate-draft'), args: { draft: ARTICLE, style: 'sketch' } },
              },
            },
            say('Started.'),
          ],
          agents: { 'tdd-editor:editor': [say('EDITED')] },
        },
      })
      expect(run.exitCode).toBe(0)
      expect(requestOf(run, 'tdd-editor:editor')).toBe(`draft: ${ARTICLE}\nillustrate: no`)
      expect(run.requests.some((r) => r.conversation === 'tdd-design:illustrator')).toBe(false)
      expect(edges(tracedInvocations(run))).toEqual([
        'main -> tdd-editor:editor ok',
        'main -> tdd-design:illustrator denied',
      ])
      const result = resultOf(run)
      expect(result.steps.illustrate).toMatchObject({ status: 'failed', attempts: 1 })
      expect(result.steps.illustrate!.error).toMatch(
        /^tdd-design:illustrator: Workflow agent spawn denied by a plugin: Switchboard: policy: a rule in .*policy\.json denies main -> tdd-design:illustrator/,
      )
      expect(result).toMatchObject({ status: 'ok', outputs: { article: 'EDITED' } })
    }, 180_000)
  },
)

// 2.1.197 has a Workflow tool too, and runs the script; but its agents start with no tool call, and no
// settings hook sees them: Switchboard cannot guard or trace them there. So its PreToolUse hook says
// so to the model and the user, and strict mode refuses the Workflow tool (docs/runtimes.md).
describe('Claude Code 2.1.197 (settings hooks only)', () => {
  it('refuses the Workflow tool in strict mode, where it cannot guard the agents a script starts', async () => {
    const run = await runClaude({
      version: '2.1.197',
      prompt: 'Illustrate the draft',
      plugins: EXAMPLES,
      env: { SWITCHBOARD_STRICT: '1' },
      allowedTools: [...DEFAULT_TOOLS, 'Workflow'],
      scenario: {
        main: [
          {
            call: {
              tool: 'Workflow',
              input: { script: compiled('tdd-editor:illustrate-draft'), args: { draft: ARTICLE } },
            },
          },
          say('Refused.'),
        ],
        agents: { 'tdd-editor:editor': [say('EDITED')] },
      },
    })
    expect(run.exitCode).toBe(0)
    expect(run.textSentTo('main')).toMatch(
      /Switchboard: the agents a Workflow script starts are not checked or traced by Switchboard here: .* Strict mode refuses the Workflow tool/,
    )
    expect(run.requests.some((r) => r.conversation === 'tdd-editor:editor')).toBe(false)
  }, 120_000)

  it('runs a compiled script outside strict mode, unguarded, and says so to the model: a policy deny is not applied and nothing is traced', async () => {
    expect(PINNED_VERSIONS).toContain('2.1.197')
    const cwd = mkdtempSync(join(tmpdir(), 'switchboard-compile-'))
    mkdirSync(join(cwd, '.claude', 'switchboard'), { recursive: true })
    writeFileSync(
      join(cwd, '.claude', 'switchboard', 'policy.json'),
      JSON.stringify({ rules: [{ caller: 'main', target: 'tdd-design:illustrator', action: 'deny' }] }),
    )
    const run = await runClaude({
      version: '2.1.197',
      cwd,
      prompt: 'Illustrate the draft',
      plugins: EXAMPLES,
      allowedTools: [...DEFAULT_TOOLS, 'Workflow'],
      scenario: {
        main: [
          {
            call: {
              tool: 'Workflow',
              input: { script: compiled('tdd-editor:illustrate-draft'), args: { draft: ARTICLE } },
            },
          },
          say('Started.'),
        ],
        agents: {
          'tdd-editor:editor': [say('EDITED')],
          'tdd-design:illustrator': [say('{"svg": "<svg/>", "alt": "a kite"}')],
        },
      },
    })
    expect(run.exitCode).toBe(0)
    expect(resultOf(run)).toMatchObject({
      status: 'ok',
      outputs: { article: 'EDITED', illustration: { svg: '<svg/>', alt: 'a kite' } },
    })
    // The denied agent ran, got the directive unread, and no call was recorded.
    expect(run.requests.some((r) => r.conversation === 'tdd-design:illustrator')).toBe(true)
    expect(run.textSentTo('tdd-editor:editor')).toContain(
      `draft: ${ARTICLE}\nillustrate: no\n[[switchboard into=edited_article]]`,
    )
    expect(tracedInvocations(run)).toEqual([])
    expect(run.textSentTo('main')).toContain(
      'Switchboard: the agents a Workflow script starts are not checked or traced by Switchboard here',
    )
  }, 120_000)
})
