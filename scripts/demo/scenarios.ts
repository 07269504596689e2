/**
 * The three orchestrations, each as the person types it and as the stand-in model plays it.
 *
 * The scripts are honest: each agent makes exactly the calls its instructions in examples/ ask for,
 * with the tools it has. Where the hooks module runs, the agents have `SwitchboardInvoke` and
 * use it; on Claude Code before 2.1.287 (settings mode) that tool does not exist, so they make the
 * Agent calls themselves, with `[[switchboard into=…]]` (or, for a capability, `plan_call` first).
 * The main thread follows /switchboard:invoke as the command says (`followPlan`). Keep these in step
 * with the agents' instructions: test/e2e/demo.e2e.test.ts checks the calls they lead to.
 */
import type { Scenario, ToolCall, Turn } from '../../test/harness/index.ts'
import { callAgent, DEFAULT_TOOLS, say } from '../../test/harness/index.ts'
import {
  ART,
  ARTICLE_EDITED,
  BRIEF,
  EDITED_DRAFT,
  EDITED_WITH_PICTURE,
  SEO,
  TECH_DRAFT,
  TECH_EDITED,
} from './content.ts'

export type Runtime = 'module' | 'settings'

export interface Orchestration {
  id: 'editor-designer' | 'tech-editor' | 'growth-all'
  title: string
  /** One sentence: who asks whom for what. */
  story: string
  /** What the person types (`claude -p <prompt>`). */
  prompt: string
  /** What the stand-in model does, per runtime. */
  scenario: (runtime: Runtime) => Scenario
}

const SB = 'mcp__plugin_switchboard_switchboard__'
const tool = (name: string, input: Record<string, unknown>): ToolCall => ({ tool: name, input })
const invoke = (target: string, args: Record<string, string>, into: string): ToolCall =>
  tool('SwitchboardInvoke', { target, args, into })
/** The Agent call an agent's instructions give for settings mode: one `key: value` line per argument, then the directive. */
const agentCall = (target: string, args: Record<string, string>, into: string): ToolCall =>
  callAgent(target, [...Object.entries(args).map(([k, v]) => `${k}: ${v}`), `[[switchboard into=${into}]]`].join('\n'))
/** An agent call the way the runtime's agents make it (examples/*\/agents: "If your tools include SwitchboardInvoke…"). */
const call = (runtime: Runtime, target: string, args: Record<string, string>, into: string): ToolCall =>
  runtime === 'module' ? invoke(target, args, into) : agentCall(target, args, into)
/** /switchboard:invoke, as the command asks: hand the line over, make the planned call, report. */
const FOLLOW_INVOKE: Turn[] = [
  { followPlan: true },
  { followPlan: true },
  say('Done: the call returned, see the trace.'),
]

/** The tools a person would allow for these runs: Claude Code's, and the Switchboard MCP tools the example agents use. */
export const ALLOWED_TOOLS = [...DEFAULT_TOOLS, `${SB}context_put`, `${SB}plan_call`]

export const ORCHESTRATIONS: readonly Orchestration[] = [
  {
    id: 'editor-designer',
    title: 'Editor → Designer',
    story: "The editor's agent tightens a draft, then asks the design plugin's illustrator for a picture.",
    prompt: '/switchboard:invoke tdd-editor:editor draft=@draft.md --into edited_article',
    scenario: (runtime) => ({
      main: FOLLOW_INVOKE,
      agents: {
        'tdd-editor:editor': [
          { call: call(runtime, 'tdd-design:illustrator', { content: EDITED_DRAFT, style: 'flat' }, 'illustration') },
          say(EDITED_WITH_PICTURE),
        ],
        'tdd-design:illustrator': [say(JSON.stringify(ART))],
      },
    }),
  },
  {
    id: 'tech-editor',
    title: 'Tech → Editor',
    story:
      'The technical writer drafts from notes, stores the draft as context, and asks whoever provides copy-editing@^1 to edit it.',
    prompt: '/switchboard:invoke tdd-tech:tech-writer topic="Solar kites" notes=@notes.md --into article',
    scenario: (runtime) => {
      const args = { draft: '$article_draft', style: 'concise', illustrate: 'no' }
      const copyEdit: Turn[] =
        runtime === 'module'
          ? [{ call: invoke('copy-editing@^1', args, 'edited_article') }]
          : [
              {
                call: tool(`${SB}plan_call`, {
                  target: 'copy-editing@^1',
                  args,
                  into: 'edited_article',
                  caller: 'tdd-tech:tech-writer',
                }),
              },
              { followPlan: true },
            ]
      return {
        main: FOLLOW_INVOKE,
        agents: {
          'tdd-tech:tech-writer': [
            { call: tool(`${SB}context_put`, { name: 'article_draft', value: TECH_DRAFT }) },
            ...copyEdit,
            say(TECH_EDITED),
          ],
          'tdd-editor:editor': [say(TECH_EDITED)],
        },
      }
    },
  },
  {
    id: 'growth-all',
    title: 'Growth → All',
    story:
      'The distributor fans out to the editor, the illustrator and the SEO review at once, then has the summarizer write the launch brief.',
    prompt: '/switchboard:invoke tdd-growth:distributor article=@article.md --into launch',
    scenario: (runtime) => ({
      main: FOLLOW_INVOKE,
      agents: {
        'tdd-growth:distributor': [
          {
            calls: [
              // The Agent tool in both runtimes: Claude Code runs the invoke tool's calls one at a time.
              agentCall('tdd-editor:editor', { draft: '$article', illustrate: 'no' }, 'edited_article'),
              agentCall('tdd-design:illustrator', { content: '$article', style: 'flat' }, 'illustration'),
              tool('Skill', { skill: 'tdd-growth:seo', args: 'content: $article' }),
            ],
          },
          // The SEO command ran inline, in the distributor's own conversation: it answers it, and keeps the JSON.
          { call: tool(`${SB}context_put`, { name: 'seo_report', value: JSON.stringify(SEO), json: true }) },
          {
            call: call(
              runtime,
              'tdd-growth:summarizer',
              { article: '$edited_article', illustration: '$illustration', seo: '$seo_report' },
              'launch_brief',
            ),
          },
          say(JSON.stringify({ article: ARTICLE_EDITED, illustration: ART, seo: SEO, brief: BRIEF })),
        ],
        'tdd-editor:editor': [say(ARTICLE_EDITED)],
        'tdd-design:illustrator': [say(JSON.stringify(ART))],
        'tdd-growth:summarizer': [say(JSON.stringify(BRIEF))],
      },
      maxRequests: 60,
    }),
  },
]
