/**
 * One component file -> one registry entry, with the id, description, tools and model that Claude
 * Code itself derives (rules verified against 2.1.197 and 2.1.331; see docs/claude-code-notes.md).
 */
import { basename, sep } from 'node:path'
import { error, info, issueMessage, issuePath, warning } from '../common/index.ts'
import type { Diagnostic } from '../common/index.ts'
import { nearest } from '../common/core.ts'
import {
  OrchestrationSchema,
  parseFrontmatter,
  parseToolList,
  splitTools,
  readComponentFrontmatter,
  unreadFrontmatter,
} from '../manifest/index.ts'
import { KEBAB_CASE } from '../manifest/name-rules.ts'
import type { ComponentKind, Frontmatter, Orchestration, PluginOrchestration } from '../manifest/index.ts'
import type { ComponentText } from './component-text.ts'
import type { Component } from './model.ts'

export interface ComponentContext {
  plugin: string
  pluginOrchestration: PluginOrchestration | null
  diagnostics: Diagnostic[]
}

/** Where a component's id comes from. */
export type IdSource =
  /** Agents: `<plugin>:<sub folders>:<frontmatter name, else file name>`. */
  | { kind: 'agent'; subdirs: string[] }
  /** Commands: `<plugin>:<sub folders>:<file name>`; a frontmatter name is an alias (2.1.331). */
  | { kind: 'command'; subdirs: string[]; key?: string }
  /** Skills in a skills folder: `<plugin>:<folder>`; a skills path that IS a skill uses its frontmatter name. */
  | { kind: 'skill'; folder: string; direct: boolean; subdirs?: string[] }

/** Claude Code skips component files over 1 MiB. */
export const MAX_COMPONENT_BYTES = 1_048_576

/**
 * What an invalid or unreadable orchestration block leaves the component (fail closed): other plugins
 * may not call it, and it may call nothing, so a typo neither opens it up nor lifts its `calls` list.
 */
const CLOSED: Orchestration = { callable: false, provides: [], calls: [] }

/** An `orchestration` key at the start of a frontmatter line. */
const ORCHESTRATION_KEY = /^orchestration\s*:/m

/** Frontmatter names over 256 characters are ignored by Claude Code. */
const MAX_NAME_LENGTH = 256

/**
 * `text` is the file's text, or its head (registry/component-text.ts) with `file` giving the whole
 * file (read only for a description the frontmatter does not give) and what its first bytes said.
 */
export function buildComponent(
  context: ComponentContext,
  file: string,
  text: string,
  source: IdSource,
  overrides?: { description?: string },
  whole?: Pick<ComponentText, 'full' | 'unread'>,
): Component {
  const frontmatter = parseFrontmatter(text)
  // A file with no block as Claude Code reads it may still have meant one (component-text.ts tells from its bytes).
  const unread = frontmatter.status !== 'absent' ? undefined : whole ? whole.unread : unreadFrontmatter(text)
  // Claude Code dropped a block that held one, or reads no block where the author wrote one (a blank line first,
  // lone carriage returns): what its author allowed is unknown, so it allows nothing. Read as no block, a
  // private component's `callable: false` left it open (found by review).
  const unreadable =
    (frontmatter.status === 'dropped' && ORCHESTRATION_KEY.test(text)) ||
    (frontmatter.status === 'absent' && meantBlockWithOrchestration(whole ? whole.full() : text, unread))
  reportFrontmatter(
    context,
    file,
    frontmatter,
    source.kind,
    unread,
    frontmatter.status === 'dropped' && text.includes('\r\n'),
  )
  const { fields, problems } = readComponentFrontmatter(source.kind, frontmatter.data)
  for (const problem of problems) {
    context.diagnostics.push(
      warning('FRONTMATTER_FIELD_INVALID', file, `${problem.message}; Claude Code ignores this field.`, problem.field),
    )
  }
  const data = fields as Record<string, unknown>
  const frontName = usableName(
    source.kind === 'agent' ? agentName(frontmatter.data.name) : data.name,
    context,
    file,
    source.kind,
  )
  const id = componentId(context.plugin, file, source, frontName)
  const name = id.slice(context.plugin.length + 1)
  // The head's own body, then the rest of the file: the frontmatter is not parsed a second time.
  const body = () => (whole ? frontmatter.body + whole.full().slice(text.length) : frontmatter.body)
  const described = describe(source.kind, context.plugin, data, body, overrides?.description)
  const invocable = source.kind === 'agent' || data['disable-model-invocation'] !== true
  const toolsField = source.kind === 'agent' ? 'tools' : 'allowed-tools'
  const disallowedTools =
    parseToolList(frontmatter.data[source.kind === 'agent' ? 'disallowedTools' : 'disallowed-tools']) ?? []
  // The allowed list, minus what is disallowed (Claude Code applies the denylist to it).
  const allowed = withMemoryTools(source.kind, frontmatter.data, parseToolList(frontmatter.data[toolsField]))
  // Most components disallow nothing: their list is kept as parsed (a fresh array), not copied.
  const tools =
    allowed === null || disallowedTools.length === 0
      ? allowed
      : allowed.filter((tool) => !disallowedTools.includes(tool))
  if (source.kind === 'agent' && tools?.length === 0 && disallowedTools.length === 0) {
    context.diagnostics.push(
      warning(
        'AGENT_TOOLS_EMPTY',
        file,
        'tools is empty: Claude Code lists this agent with "All tools" but gives it none. Remove the line to allow every tool, or list the tools.',
        'tools',
      ),
    )
  }
  // Claude Code takes an agent's name as written (`notes:Sum Marise`), and its callers must spell it so; plugin names
  // get MANIFEST_NAME_NOT_KEBAB, and an agent's had no lint (found by a newcomer).
  if (source.kind === 'agent' && typeof frontName === 'string' && !KEBAB_CASE.test(frontName))
    context.diagnostics.push(
      warning(
        'AGENT_NAME_NOT_KEBAB',
        file,
        `agent name "${frontName}" is not kebab-case, and callers must write ${context.plugin}:${frontName}. Use lower-case words joined by "-", e.g. "${kebabCase(frontName)}".`,
        'name',
      ),
    )
  if (Array.isArray(frontmatter.data['argument-hint'])) {
    context.diagnostics.push(
      info(
        'ARGUMENT_HINT_LIST',
        file,
        `argument-hint is a YAML list, read as "${String(data['argument-hint'])}". Quote it to say so: argument-hint: "${String(data['argument-hint'])}"`,
        'argument-hint',
      ),
    )
  }
  if (unreadable && frontmatter.status === 'absent')
    context.diagnostics.push(
      error(
        'ORCHESTRATION_INVALID',
        file,
        'this file has an orchestration block in a --- block Claude Code does not read as frontmatter, so Switchboard cannot tell what it allows: until it is fixed the component is not callable from other plugins, and it may call nothing. Start the file with --- on its first line, end each line with a line feed, and close the block with a line ---.',
        'orchestration',
      ),
    )
  const misplaced = unreadable ? undefined : misplacedOrchestration(frontmatter.data)
  if (misplaced)
    context.diagnostics.push(
      error(
        'ORCHESTRATION_INVALID',
        file,
        `${misplaced.problem} Until this is fixed the component is not callable from other plugins, and it may call nothing.`,
        misplaced.key,
      ),
    )
  const orchestration =
    unreadable || misplaced
      ? { value: CLOSED, valid: false }
      : readOrchestration(context, file, frontmatter.data.orchestration, name)
  // Built without spreads (a literal with spreads is built key by key at run time: measured, about 3% of a
  // build's JavaScript); the optional keys come between forkAgent and file, as the snapshot has them.
  const component = {
    id,
    plugin: context.plugin,
    kind: source.kind,
    name,
    aliases: aliasesOf(id, source.kind, frontName),
    description: described.text,
    descriptionFrom: described.from,
    listed: invocable && (described.from === 'frontmatter' || described.from === 'when_to_use'),
    invocable,
    tools,
    disallowedTools,
    model: typeof data.model === 'string' && data.model.trim() ? data.model.trim() : null,
    argumentHint: typeof data['argument-hint'] === 'string' ? data['argument-hint'] : null,
    forkAgent: forkAgentOf(source.kind, data),
  } as Component
  // Claude Code's YAML parser is not the yaml package: a block refused here may be read there (a key over
  // 1,024 characters did, found by review), with fields the guard would then not see. Fail closed.
  if (frontmatter.status === 'dropped') component.unreadFrontmatter = yamlProblem(frontmatter)
  const claimedName = claimedNameOf(context.plugin, source.kind, frontName)
  if (claimedName !== undefined) component.claimedName = claimedName
  const writtenName = frontNameOf(source.kind, data)
  if (writtenName !== undefined) component.frontName = writtenName
  const preloads = preloadsOf(source.kind, data)
  if (preloads !== undefined) component.preloads = preloads
  component.file = file
  component.orchestration = orchestration.value
  component.callable = orchestration.valid
    ? (orchestration.value?.callable ?? context.pluginOrchestration?.defaults.callable ?? true)
    : false
  return component
}

/** A file Claude Code reads no block in, whose author meant one (it opens with `---`, or with blanks then `---`) with an `orchestration` key. */
function meantBlockWithOrchestration(text: string, unread: string | undefined): boolean {
  const meant = unread !== undefined || text.replace(/^\ufeff/, '').startsWith('---')
  return meant && ORCHESTRATION_KEY.test(text)
}

/** Skill ids keep letters, digits, "_" and "-"; anything else becomes "-" (Claude Code's rule). */
function sanitiseSkillName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_-]/g, '-')
}

// --- internal ---

/**
 * The agent a command or skill with `context: fork` runs as: its `agent` field (else Claude Code's
 * general-purpose agent, which is no plugin's, so null). It may name another plugin's agent, which the
 * guard then checks as a call the skill makes (guard/decide.ts).
 */
function forkAgentOf(kind: ComponentKind, data: Record<string, unknown>): string | null {
  // Any spelling of fork counts: a spelling Claude Code might not fork costs at most a refused call.
  if (kind === 'agent' || typeof data.context !== 'string' || data.context.trim().toLowerCase() !== 'fork') return null
  // Claude Code takes any value given as its text (`String(agent)`): a YAML list `[vault:keeper]` runs the
  // skill as vault:keeper, and read as no agent it lent another plugin's private agent (found by review).
  const agent = data.agent === null || data.agent === undefined ? '' : String(data.agent).trim()
  return agent || null
}

/**
 * An agent's `skills:` field: Claude Code loads each named skill or command into the agent's first
 * request, another plugin's private one included, with no call a hook or module sees (probed on 2.1.197
 * and 2.1.332: a string or a list, cut at commas and spaces, case-sensitive; docs/claude-code-notes.md).
 * Both ways of cutting (with and without the tools fields' parentheses rule) and any scalar's text are
 * kept, so that the guard checks every name Claude Code might read (guard/decide.ts).
 */
function preloadsOf(kind: ComponentKind, data: Record<string, unknown>): string[] | undefined {
  if (kind !== 'agent' || data.skills === undefined || data.skills === null) return undefined
  const items = (Array.isArray(data.skills) ? data.skills : [data.skills])
    .filter((item) => item !== null && typeof item !== 'object')
    .map(String)
  // Claude Code's cut (splitTools: U+0020 and commas outside parentheses), and a plain one, which can only
  // add names to check (an unclosed parenthesis would otherwise hide what follows it).
  const names = new Set(items.flatMap((item) => [...splitTools(item), ...item.split(/[ ,]+/).map((n) => n.trim())]))
  names.delete('')
  return names.size > 0 ? [...names] : undefined
}

/**
 * A command's or skill's frontmatter `name` as written (any scalar's text). Claude Code runs a Skill call
 * of that bare name (`secret-rules` for `vault:secret-rules` whose frontmatter says `name: secret-rules`,
 * a name with spaces too) on 2.1.197, 2.1.331 and 2.1.332 (probed), whatever folder the component is in,
 * and 2.1.197 loads an agent's `skills:` entry by it. Kept where it is the id's last part as well: read as
 * no name there, the guard took such a bare call for no plugin's and let it through (found by probe).
 */
function frontNameOf(kind: ComponentKind, data: Record<string, unknown>): string | undefined {
  if (kind === 'agent' || data.name === undefined || data.name === null || typeof data.name === 'object')
    return undefined
  const name = String(data.name)
  return name || undefined
}

/**
 * A command or skill frontmatter `name` in another plugin's namespace (`beta:deploy` in plugin
 * alpha): 2.1.197 runs the first command whose raw name matches a Skill call, so this one can stand
 * in for beta's own (docs/claude-code-notes.md, "How Claude Code resolves names"). The guard
 * refuses calls to that name (guard/decide.ts); the registry warns the author (build-registry.ts).
 */
function claimedNameOf(plugin: string, kind: ComponentKind, frontName: string | undefined): string | undefined {
  if (kind === 'agent' || !frontName) return undefined
  const colon = frontName.indexOf(':')
  return colon > 0 && frontName.slice(0, colon) !== plugin ? frontName : undefined
}

/**
 * An agent with `memory` keeps notes in a file, so Claude Code adds Write, Edit and Read to an
 * explicit tools list (in that order, when missing). Found in the 2.1.331 loader and confirmed on
 * both pinned versions by the end-to-end listing test (claude-ops:marketing-optimizer).
 */
function withMemoryTools(kind: ComponentKind, data: Record<string, unknown>, tools: string[] | null): string[] | null {
  if (kind !== 'agent' || !data.memory || tools === null) return tools
  return [...tools, ...['Write', 'Edit', 'Read'].filter((tool) => !tools.includes(tool))]
}

function componentId(plugin: string, file: string, source: IdSource, frontName: string | undefined): string {
  // The file's name only where it is the id's last part; the parts joined without an array of them.
  switch (source.kind) {
    case 'agent':
      return idOf(plugin, source.subdirs, frontName ?? fileStem(file))
    case 'command':
      return idOf(plugin, source.subdirs, source.key ?? fileStem(file))
    case 'skill': {
      if (!source.direct) return idOf(plugin, source.subdirs ?? [], sanitiseSkillName(source.folder))
      const own = frontName?.startsWith(`${plugin}:`) ? frontName.slice(plugin.length + 1) : frontName
      return `${plugin}:${sanitiseSkillName(own || source.folder)}`
    }
  }
}

/** `[plugin, ...subdirs, last].join(':')`. */
function idOf(plugin: string, subdirs: string[], last: string): string {
  let id = plugin
  for (const subdir of subdirs) id += `:${subdir}`
  return `${id}:${last}`
}

/**
 * A component file's name without its `.md`: basename taken by the last "/" (path.basename reads the whole
 * path a character at a time, slow until optimised); Windows paths, and a path ending in "/", by basename.
 */
function fileStem(file: string): string {
  const name = sep === '/' && !file.endsWith('/') ? file.slice(file.lastIndexOf('/') + 1) : basename(file)
  return name.endsWith('.md') ? name.slice(0, -3) : name
}

/**
 * 2.1.331 accepts a command's or skill's frontmatter name as a second id, shown as `id (alias)`: a name
 * with spaces too (`probe:my skill` runs on 2.1.331 and 2.1.332, probed).
 */
function aliasesOf(id: string, kind: ComponentKind, frontName: string | undefined): string[] {
  if (kind === 'agent' || !frontName) return []
  const prefix = id.slice(0, id.lastIndexOf(':') + 1)
  const alias = frontName.startsWith(prefix) ? frontName : `${prefix}${frontName}`
  return alias === id ? [] : [alias]
}

/**
 * An agent's name as Claude Code takes it: any value but null as its text (String), so `name: [x]` is
 * the agent x and `name: {a: 1}` the agent "[object Object]" (2.1.332, found by review); read as no name,
 * the id was the file name's, and a decoy named like the real id stood in for it.
 */
function agentName(value: unknown): unknown {
  return value === null || value === undefined || typeof value === 'string' ? value : String(value)
}

function usableName(value: unknown, context: ComponentContext, file: string, kind: ComponentKind): string | undefined {
  // Claude Code keeps an agent's name of spaces as it is (2.1.332); a command's or skill's of spaces is read
  // as no name, as before (not probed).
  if (typeof value !== 'string' || value === '' || (kind !== 'agent' && value.trim() === '')) return undefined
  if (value.length > MAX_NAME_LENGTH) {
    context.diagnostics.push(
      warning(
        'FRONTMATTER_NAME_TOO_LONG',
        file,
        `name is over ${MAX_NAME_LENGTH} characters, so Claude Code ignores it and uses the file name. Shorten it.`,
        'name',
      ),
    )
    return undefined
  }
  return value
}

type Described = { text: string; from: Component['descriptionFrom'] }

function describe(
  kind: ComponentKind,
  plugin: string,
  data: Record<string, unknown>,
  body: () => string,
  override: string | undefined,
): Described {
  if (given(override)) return { text: override, from: 'frontmatter' }
  if (given(data.description)) return { text: data.description, from: 'frontmatter' }
  if (given(data.when_to_use)) return { text: data.when_to_use, from: 'when_to_use' }
  if (given(data['when-to-use'])) return { text: data['when-to-use'], from: 'when_to_use' }
  if (kind === 'agent') return { text: `Agent from ${plugin} plugin`, from: 'placeholder' }
  const line = firstBodyLine(body())
  if (line) return { text: line, from: 'body' }
  return { text: kind === 'command' ? 'Plugin command' : 'Plugin skill', from: 'placeholder' }
}

function given(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== ''
}

/** Claude Code's fallback description: the first non-empty body line, heading marks removed, at most 100 characters. */
function firstBodyLine(body: string): string | undefined {
  const line = /^\s*(\S[^\n]*)/.exec(body)?.[1]?.trim() // the first line with text, without splitting the body
  if (!line) return undefined
  const text = /^#+\s+(\S.*)$/.exec(line)?.[1] ?? line
  return text.length > 100 ? `${text.substring(0, 97)}...` : text
}

function reportFrontmatter(
  context: ComponentContext,
  file: string,
  frontmatter: Frontmatter,
  kind: ComponentKind,
  unread: string | undefined,
  /** Windows line ends, where Claude Code's quoting retry fails on any broken line (claude-code-notes.md). */
  crlf = false,
): void {
  if (unread)
    context.diagnostics.push(
      warning(
        'FRONTMATTER_NOT_READ',
        file,
        `this file opens a --- block Claude Code does not read: ${unread}. The ${kind} loads with its file name and none of the block's fields (name, description${kind === 'agent' ? ', tools' : ''}, orchestration). Start the file with --- on its first line, and close the block with a line ---.`,
      ),
    )
  for (const key of frontmatter.duplicateKeys ?? [])
    context.diagnostics.push(
      warning(
        'FRONTMATTER_DUPLICATE_KEY',
        file,
        `"${key}" is given twice in one block; Claude Code keeps the last one and drops the first without a word. Keep one.`,
        key,
      ),
    )
  if (frontmatter.status === 'recovered') {
    context.diagnostics.push(
      warning(
        'FRONTMATTER_YAML_RECOVERED',
        file,
        `frontmatter is not valid YAML (${yamlProblem(frontmatter)}). Claude Code recovers it by ${frontmatter.tabIndented ? 'turning its leading tabs into spaces' : 'quoting values'}, but its validator and other tools do not: ${frontmatter.tabIndented ? 'indent with spaces, never tabs (YAML forbids them)' : 'put values that contain ": " or "#" in quotes'}.`,
      ),
    )
  } else if (frontmatter.status === 'dropped') {
    const keeps =
      kind === 'agent'
        ? 'its file name and the description "Agent from <plugin> plugin"'
        : 'its file name and no description'
    // Plain sentences (a newcomer could not parse the one long one), and the cause where it is the line ends.
    const fix = crlf
      ? 'quote values that hold ": " or "#" (Claude Code quotes them itself only in a file with Unix line ends), or save the file with Unix (LF) line ends'
      : /flow/i.test(frontmatter.yamlError ?? '')
        ? 'inside { } or [ ], quote a value that holds [ ] { } or ",", e.g. { tags: "string[]" }'
        : 'close every quote, indent continuation lines, or use "description: |" for several lines'
    context.diagnostics.push(
      error(
        'FRONTMATTER_YAML_INVALID',
        file,
        `frontmatter is not valid YAML (${yamlProblem(frontmatter)}). Claude Code then drops every field, and the ${kind} loads with ${keeps}; a Claude Code whose parser takes blocks this one refuses reads fields Switchboard cannot check. So Switchboard refuses every call to it until it is fixed. Fix the YAML: ${fix}.`,
      ),
    )
  }
}

/** The parser's message, after the file line it is about: `line 3: Missing closing "quote`. */
function yamlProblem(frontmatter: Frontmatter): string {
  return `${frontmatter.yamlErrorLine === undefined ? '' : `line ${frontmatter.yamlErrorLine}: `}${frontmatter.yamlError}`
}

/** The keys an orchestration block sets, for messages: `callable, input`. */
function orchestrationKeys(block: Orchestration): string {
  const keys = Object.entries(block)
    .filter(
      ([key, value]) => value !== undefined && !(key === 'provides' && Array.isArray(value) && value.length === 0),
    )
    .map(([key]) => key)
  return keys.join(', ') || 'empty block'
}

/** Keys of the orchestration block that mean nothing at the frontmatter's top level (Claude Code reads none of them). */
const BLOCK_ONLY_KEYS = new Set(['callable', 'calls', 'provides'])

/**
 * A block meant for Switchboard that it would not read: `Orchestration:`, `orchestraton:` (within two
 * edits of the key), or one of the block's own keys written at the top level (`callable: false`). Read as
 * no block, a typo would leave a private component open: it is an invalid block instead, which closes it.
 */
function misplacedOrchestration(data: Record<string, unknown>): { key: string; problem: string } | undefined {
  for (const key of Object.keys(data)) {
    if (key === 'orchestration') continue
    if (BLOCK_ONLY_KEYS.has(key))
      return {
        key,
        problem: `"${key}" belongs inside the orchestration block (orchestration:, then "  ${key}: …" indented below it); at the top level Switchboard does not read it.`,
      }
    // Only a key about as long as "orchestration", and holding one of its three parts whole (two edits leave
    // one untouched), can be within two edits of it: the rest are not measured.
    if (key.length >= 11 && key.length <= 15 && /orch|estr|ation/i.test(key) && nearest(key, ['orchestration']))
      return {
        key,
        problem: `"${key}" is not "orchestration", the one key Switchboard reads its block from (in lower case), so this block is not read. Rename it to orchestration.`,
      }
  }
  return undefined
}

function readOrchestration(
  context: ComponentContext,
  file: string,
  raw: unknown,
  name: string,
): { value: Orchestration | null; valid: boolean } {
  const fromPlugin = context.pluginOrchestration?.components[name]
  if (raw === undefined) return { value: fromPlugin ?? null, valid: true }
  const parsed = OrchestrationSchema.safeParse(raw)
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      context.diagnostics.push(
        error(
          'ORCHESTRATION_INVALID',
          file,
          `${issueMessage(issue)}. Until this is fixed the component is not callable from other plugins, and it may call nothing.`,
          issuePath(issue, 'orchestration'),
        ),
      )
    }
    return { value: CLOSED, valid: false }
  }
  if (fromPlugin) {
    const ignored = orchestrationKeys(fromPlugin)
    context.diagnostics.push(
      warning(
        'ORCHESTRATION_DUPLICATE',
        file,
        `"${name}" has an orchestration block here and in .claude-plugin/switchboard.json; the frontmatter one is used whole, so switchboard.json's ${ignored} for it ${ignored.includes(',') ? 'are' : 'is'} ignored${fromPlugin.callable !== undefined && parsed.data.callable === undefined ? ` (callable: ${fromPlugin.callable} does not apply: the plugin default does)` : ''}. Keep one block.`,
        'orchestration',
      ),
    )
  }
  return { value: parsed.data, valid: true }
}

/** A name in lower-case words joined by "-", for a suggestion: `Sum Marise` as `sum-marise`. */
function kebabCase(name: string): string {
  return (
    name
      .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'my-agent'
  )
}
