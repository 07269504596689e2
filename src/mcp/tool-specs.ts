/**
 * The MCP tools as the model sees them: name, description and input JSON Schema, the one home of
 * each tool's arguments. The server lists them without loading any tool code (stdio.ts), and the
 * tools bundle checks every call's arguments against the same schema (tool-calls.ts).
 */
import { INVOKE_USAGE } from '../guard/invoke-usage.ts'
import { ROUTE_LIMITS } from '../resolve/route-limits.ts'
import { DRIVE_LIMITS } from '../workflow/drive-limits.ts'

export interface ToolSpec {
  name: string
  description: string
  inputSchema: { type: 'object'; properties: Record<string, object>; required?: string[]; additionalProperties: false }
}

const string = (description?: string) => ({ type: 'string', ...(description ? { description } : {}) })
const object = (properties: Record<string, object>, required?: string[]): ToolSpec['inputSchema'] => ({
  type: 'object',
  properties,
  ...(required ? { required } : {}),
  additionalProperties: false,
})

/**
 * The tool that answers the companion's per-call settings hooks (mcp/hook-tool.ts): called by Claude Code's
 * `mcp_tool` hooks, never listed, so no model can call it.
 */
export const HOOK_TOOL = 'hook'

export const TOOL_SPECS: readonly ToolSpec[] = [
  {
    name: 'registry_search',
    description:
      'Find agents, commands and skills of installed plugins that you can call, by words, by provided capability, or by kind. Returns ids to call with the Agent tool (agents) or the Skill tool (commands, skills).',
    inputSchema: object({
      query: string(),
      capability: string('A capability name, e.g. seo-analysis'),
      kind: { type: 'string', enum: ['agent', 'command', 'skill'] },
    }),
  },
  {
    name: 'describe',
    description:
      'One component in full: how to call it, its input and output contracts (JSON Schema), what it provides and which context slots it uses.',
    inputSchema: object({ id: string('plugin:component') }, ['id']),
  },
  {
    name: 'plan_call',
    description: `Check a call to another plugin exactly as Switchboard's guard will, and get the exact Agent or Skill tool input to make it. Either line (the whole request, as typed after /switchboard:invoke: ${INVOKE_USAGE}) or target (a component id, or a capability request such as seo-analysis@^1) with args. Argument values may be text, $slot references, or @file paths inside the project; into names the slot the return is stored in.`,
    inputSchema: object({
      line: string('The whole request as one line'),
      target: string(),
      args: { type: 'object', additionalProperties: { type: 'string' } },
      into: string(),
      caller: string('Who will make the call: main (default), or your own plugin:agent id when you are a plugin agent'),
    }),
  },
  {
    name: 'plan_workflow',
    description:
      "Show the calls a Switchboard workflow would make, wave by wave, with the guard's verdict on each, at no cost; nothing runs. line: the request as typed after /switchboard:run: <plugin:workflow | path> [input=value | input=@file ...].",
    inputSchema: object({ line: string('The whole request as one line') }, ['line']),
  },
  {
    name: 'run_workflow',
    description:
      "Run a Switchboard workflow step by step where Switchboard's hooks module does not run. Start with line (the request as typed after /switchboard:run: <plugin:workflow | path> [input=value | input=@file ...] [--fresh]). It answers one line of JSON: status next with the exact tool calls to make now (make them unchanged), then call it again with run; or the run's result (status ok, failed, budget_exhausted, denied) with each step, the outputs and a message.",
    inputSchema: object({
      line: string('The whole request as one line, to start a run'),
      run: string('The run id from an earlier answer, to go on with it'),
    }),
  },
  {
    name: 'drive_workflow',
    description:
      "Used by Switchboard's own invoke tool, which makes the calls: decides a workflow run's next steps (start it with the workflow's text or parsed value, then report each call that ended). Reads and writes no file. To see a workflow's calls, use plan_workflow; to run one, /switchboard:run.",
    inputSchema: object({
      start: object(
        {
          source: object(
            {
              text: string("The workflow file's text"),
              document: { description: 'Or its parsed value' },
              file: string('The file it came from, for messages'),
              name: string('Its name when the file gives none (default: the file name)'),
              plugin: string('The plugin that ships it, if any'),
              concurrency: { type: 'integer', minimum: 1 },
            },
            ['file'],
          ),
          // Bounded so a direct call cannot make the server hold much: a run keeps its inputs.
          inputs: {
            type: 'object',
            maxProperties: DRIVE_LIMITS.inputs,
            additionalProperties: { type: 'string', maxLength: DRIVE_LIMITS.valueLength },
          },
          receipts: {
            type: 'object',
            maxProperties: DRIVE_LIMITS.receipts,
            additionalProperties: { type: 'string', maxLength: DRIVE_LIMITS.valueLength },
          },
          fresh: { type: 'boolean' },
          caller: object(
            {
              type: { type: ['string', 'null'] },
              invocation: { type: ['string', 'null'] },
              agent: { type: ['string', 'null'] },
            },
            ['type', 'invocation', 'agent'],
          ),
          waitLimitMs: { type: 'integer', minimum: 0 },
        },
        ['source', 'inputs', 'receipts', 'fresh', 'caller'],
      ),
      run: string('A run drive_workflow started'),
      secret: string('The secret its start answered'),
      ended: object(
        {
          step: string(),
          outcome: {
            type: 'object',
            properties: {
              status: { enum: ['ok', 'failed', 'denied'] },
              problems: { type: 'array', items: { type: 'string' } },
              message: { type: 'string' },
              invocation: { type: ['string', 'null'] },
              turns: { type: 'integer', minimum: 0 },
            },
            required: ['status'],
          },
        },
        ['step', 'outcome'],
      ),
    }),
  },
  {
    name: 'route_capabilities',
    description:
      "Used by Switchboard's own invoke tool: routes capability requests (name@range, e.g. copy-editing@^1) among the providers given, as Switchboard routes them. Reads no file. To find a capability's providers, use registry_search.",
    inputSchema: object(
      {
        // Bounded so a direct call cannot keep the server routing for long (requests x providers).
        requests: {
          type: 'array',
          items: { type: 'string', maxLength: ROUTE_LIMITS.requestLength },
          maxItems: ROUTE_LIMITS.requests,
        },
        providers: {
          type: 'array',
          maxItems: ROUTE_LIMITS.providers,
          items: object(
            {
              id: string(),
              callable: { type: 'boolean' },
              orchestration: {
                type: ['object', 'null'],
                properties: {
                  provides: {
                    type: 'array',
                    maxItems: ROUTE_LIMITS.offers,
                    items: object({ name: string(), version: string() }, ['name', 'version']),
                  },
                },
                required: ['provides'],
              },
            },
            ['id', 'callable', 'orchestration'],
          ),
        },
      },
      ['requests', 'providers'],
    ),
  },
  {
    name: 'check_return',
    description:
      "Used by Switchboard's own invoke tool: checks a value against an output contract's JSON Schema, as Switchboard checks returns, and answers the problems (none when it matches). Reads no file. To see a component's contract, use describe.",
    inputSchema: object({ schema: { type: 'object' }, value: { description: 'The return, parsed' } }, [
      'schema',
      'value',
    ]),
  },
  { name: 'context_list', description: 'List the context slots of this session.', inputSchema: object({}) },
  {
    name: 'context_get',
    description: 'Read a context slot (secret slots are not shown).',
    inputSchema: object({ name: string() }, ['name']),
  },
  {
    name: 'context_put',
    description:
      'Write a context slot (text, or JSON with json: true). Calls then pass it as $name. A secret slot is passed only to the plugins in share_with.',
    inputSchema: object(
      {
        name: string(),
        value: string(),
        json: { type: 'boolean' },
        secret: { type: 'boolean' },
        share_with: { type: 'array', items: { type: 'string' }, description: 'Plugins a secret slot may be sent to' },
      },
      ['name', 'value'],
    ),
  },
  { name: 'context_clear', description: 'Remove one context slot, or all.', inputSchema: object({ name: string() }) },
  {
    name: 'trace',
    description: "This session's cross-plugin calls: who called whom, status, duration, tokens, denial reasons.",
    inputSchema: object({ format: { type: 'string', enum: ['tree', 'mermaid', 'json'] } }),
  },
]
