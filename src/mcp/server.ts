/**
 * Switchboard's MCP server, started by Claude Code from the plugin's .mcp.json (stdio), so agents
 * without Bash can search the registry, plan checked calls, use the context store and read the trace.
 * Built on the official MCP TypeScript SDK. Tool names seen by the model:
 * mcp__plugin_switchboard_switchboard__<tool>. Every tool works on this server's own session only
 * (trace/own-session.ts): none takes a session argument.
 */
// zod first: the SDK's modules call z.custom() while they load, and in one bundle that only works
// once zod's classic API has been initialised (the SDK reaches zod through four entry points).
import { z } from 'zod'
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js'
import { INVOKE_USAGE, VERSION } from '../cli/index.ts'
import { contextTool, describeComponent, planCallTool, registrySearch, traceTool } from './tools.ts'
import type { ToolEnvironment } from './tools.ts'

const environment = (): ToolEnvironment => ({ cwd: process.env.CLAUDE_PROJECT_DIR || process.cwd(), env: process.env, claudePid: process.ppid })
const text = (value: string) => ({ content: [{ type: 'text' as const, text: value }] })

const server = new McpServer({ name: 'switchboard', version: VERSION })

server.registerTool('registry_search', {
  description: 'Find agents, commands and skills of installed plugins that you can call, by words, by provided capability, or by kind. Returns ids to call with the Agent tool (agents) or the Skill tool (commands, skills).',
  inputSchema: { query: z.string().optional(), capability: z.string().optional().describe('A capability name, e.g. seo-analysis'), kind: z.enum(['agent', 'command', 'skill']).optional() },
}, (args) => text(registrySearch(environment(), args)))

server.registerTool('describe', {
  description: 'One component in full: how to call it, its input and output contracts (JSON Schema), what it provides and which context slots it uses.',
  inputSchema: { id: z.string().describe('plugin:component') },
}, (args) => text(describeComponent(environment(), args)))

server.registerTool('plan_call', {
  description: `Check a call to another plugin exactly as Switchboard's guard will, and get the exact Agent or Skill tool input to make it. Either line (the whole request, as typed after /switchboard:invoke: ${INVOKE_USAGE}) or target (a component id, or a capability request such as seo-analysis@^1) with args. Argument values may be text, $slot references, or @file paths inside the project; into names the slot the return is stored in.`,
  inputSchema: {
    line: z.string().optional().describe('The whole request as one line'),
    target: z.string().optional(),
    args: z.record(z.string(), z.string()).optional(),
    into: z.string().optional(),
    caller: z.string().optional().describe('Who will make the call: main (default), or your own plugin:agent id when you are a plugin agent'),
  },
}, (args) => text(planCallTool(environment(), args)))

server.registerTool('context_list', { description: 'List the context slots of this session.', inputSchema: {} }, () => text(contextTool(environment(), 'list', {})))
server.registerTool('context_get', { description: 'Read a context slot (secret slots are not shown).', inputSchema: { name: z.string() } }, (args) => text(contextTool(environment(), 'get', args)))
server.registerTool('context_put', {
  description: 'Write a context slot (text, or JSON with json: true). Calls then pass it as $name. A secret slot is passed only to the plugins in share_with.',
  inputSchema: { name: z.string(), value: z.string(), json: z.boolean().optional(), secret: z.boolean().optional(), share_with: z.array(z.string()).optional().describe('Plugins a secret slot may be sent to') },
}, (args) => text(contextTool(environment(), 'put', args)))
server.registerTool('context_clear', { description: 'Remove one context slot, or all.', inputSchema: { name: z.string().optional() } }, (args) => text(contextTool(environment(), 'clear', args)))

server.registerTool('trace', {
  description: "This session's cross-plugin calls: who called whom, status, duration, tokens, denial reasons.",
  inputSchema: { format: z.enum(['tree', 'mermaid', 'json']).optional() },
}, (args) => text(traceTool(environment(), args)))

await server.connect(new StdioServerTransport())
