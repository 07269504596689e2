/**
 * A scenario: what the stand-in model does, declared up front, for the main thread and for each
 * agent. Each conversation plays its own list of turns; a turn is a final text, one tool call, or
 * several tool calls at once (parallel fan-out). Which turn comes next is decided from the
 * conversation itself (how many assistant turns it already holds), never from a global counter,
 * so background agents, retries and late notifications cannot derail it.
 */
import { z } from 'zod'

const ToolCallSchema = z.strictObject({
  tool: z.string().describe('Tool name as the model sees it: Agent, Skill, Read, mcp__...'),
  input: z.record(z.string(), z.unknown()),
})

/**
 * The input tokens the response says its request took (default 100): near the model's context window, Claude
 * Code compacts the conversation before its next request (autocompact), as it would a long session.
 */
const inputTokens = z.number().int().positive().optional()

const TurnSchema = z.union([
  z.strictObject({ text: z.string(), inputTokens }),
  /** Play a compliant model: make the tool call a "Switchboard plan" in the conversation gives, or say there is none. */
  z.strictObject({ followPlan: z.literal(true) }),
  z.strictObject({ call: ToolCallSchema, inputTokens }),
  z.strictObject({ calls: z.array(ToolCallSchema).min(1), inputTokens }),
])

const ConversationScriptSchema = z.union([
  z.array(TurnSchema),
  z.strictObject({
    /** Text that identifies this agent's requests (its system prompt contains the agent's body). Default: the start of the agent's body. */
    match: z.string().optional(),
    /**
     * Text that identifies this conversation by its first user message instead: for loops with no body
     * of their own (a built-in agent such as general-purpose, a forked skill), keyed by any name.
     * Checked before the system-prompt matches.
     */
    matchPrompt: z.string().optional(),
    turns: z.array(TurnSchema),
  }),
])

export const ScenarioSchema = z.strictObject({
  name: z.string().optional(),
  main: z.array(TurnSchema),
  /** Scripts per agent, keyed by the agent's id (`plugin:agent`), or by any name for a script with `matchPrompt`. */
  agents: z.record(z.string(), ConversationScriptSchema).default({}),
  /** The answer once a script has run out, and for conversations no script covers. */
  fallback: z.string().default('Done.'),
  /** Hard limit on model requests in one run, so no scenario can loop. */
  maxRequests: z.number().int().positive().default(40),
})

export type ToolCall = z.infer<typeof ToolCallSchema>
export type Turn = z.infer<typeof TurnSchema>
export type Scenario = z.input<typeof ScenarioSchema>

/** Shorthands for writing scenarios. */
export const say = (text: string): Turn => ({ text })
export const callAgent = (subagentType: string, prompt: string, extra: Record<string, unknown> = {}): ToolCall => ({
  tool: 'Agent',
  input: { description: `Call ${subagentType}`, prompt, subagent_type: subagentType, ...extra },
})
export const callSkill = (skill: string, args = ''): ToolCall => ({ tool: 'Skill', input: { skill, args } })
