/**
 * A workflow file's YAML parsed with a time limit (Node only). The yaml package's parse is slow on hostile
 * text: 256 KB of "! " (one error per tag) takes about 2.7 s (a legitimate 230 KB workflow about 0.6 s), and a workflow reaches it from a
 * model's tool call (drive_workflow's text, plan_workflow's path) in the MCP server that answers settings
 * mode's hooks, one request at a time: a few such calls at once held the hooks past their timeout, and
 * Claude Code ran calls unchecked (found by review). A `vm` script's timeout interrupts the parse, as it
 * does a contract's pattern (validate-contract.ts).
 */
import { createContext, Script } from 'node:vm'
import { parseDocument } from 'yaml'
import type { Document } from 'yaml'

const YAML_TIME_LIMIT_MS = 2000
const PARSE = new Script('parse()')
const sandbox = createContext({ parse: undefined as unknown })

/** The document, or undefined where parsing it took longer than YAML_TIME_LIMIT_MS and was stopped. */
export function parseYamlBounded(text: string): Document.Parsed | undefined {
  try {
    // Positions are worked out for the first error only, by the caller: prettyErrors does it for every
    // error, which took 9 s on 80 KB of "! ".
    sandbox.parse = () => parseDocument(text, { prettyErrors: false, uniqueKeys: false })
    return PARSE.runInContext(sandbox, { timeout: YAML_TIME_LIMIT_MS }) as Document.Parsed
  } catch (thrown) {
    if ((thrown as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return undefined
    throw thrown
  } finally {
    sandbox.parse = undefined
  }
}

/** What a caller says of a workflow parseYamlBounded gave up on. */
export const YAML_TOO_SLOW = `reading its YAML took longer than ${YAML_TIME_LIMIT_MS} ms and was stopped: it holds thousands of tags, anchors or nested brackets, which no workflow needs`
