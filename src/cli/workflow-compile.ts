/**
 * `switchboard workflow compile <file | plugin:workflow> [input=value ...] [--out FILE]`: a workflow
 * that passes `workflow check` as a script for Claude Code's native Workflow tool (2.1.331+). The
 * script is src/workflow/compile.ts's; this adds finding the file, the registry and policy, and
 * writing it. Inputs given here are fixed in the script; the others come from the tool's `args`.
 */
import { routeCapability } from '../resolve/index.ts'
import { lstatSync, mkdirSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { hasErrors, inert, isLexicallyInside, SwitchboardError } from '../common/index.ts'
import { loadPolicy } from '../guard/index.ts'
import { buildRegistry, claudeLocations, readBytesNoWait } from '../registry/index.ts'
import { checkWorkflow, COMPILED_MARK, compileWorkflow, resolveForCompile, resolveInputs } from '../workflow/index.ts'
import type { Workflow, WorkflowContext } from '../workflow/index.ts'
import { registryOptionsOf, UsageError } from './command.ts'
import type { CommandContext, CommandResult } from './command.ts'
import { displayPath, formatDiagnostics, plural } from './format.ts'
import { inputValues, locate } from './workflow.ts'

export function run(context: CommandContext): CommandResult {
  const [spec, ...words] = context.positionals
  if (spec === undefined) throw new UsageError('missing <file | plugin:workflow>')
  const registry = buildRegistry(registryOptionsOf(context))
  const { file, read } = locate(spec, context, registry)
  const where = displayPath(file, context.cwd)
  const workflowContext: WorkflowContext = {
    snapshot: registry,
    route: routeCapability,
    policy: loadPolicy(context.env, claudeLocations(context.env, context.cwd).projectDir),
  }
  const diagnostics = read.value
    ? [...read.diagnostics, ...checkWorkflow(read.value, workflowContext)]
    : read.diagnostics
  if (!read.value || hasErrors(diagnostics)) {
    const text = `${inert(where)}: not compiled, because \`switchboard workflow check\` fails:\n\n${formatDiagnostics(diagnostics, context.cwd)}`
    return { data: { workflow: read.value?.name ?? null, file: where, diagnostics }, text, exitCode: 1 }
  }
  const workflow = read.value
  const fixed = fixedInputs(workflow, inputValues(words, context))
  const resolved = resolveForCompile(workflow, workflowContext)
  if (resolved.problems.length > 0) {
    const text = `${inert(where)}: not compiled:\n\n${resolved.problems.map((p) => `${inert(where)} (${p.path}): ${inert(p.message)}`).join('\n')}`
    return { data: { workflow: workflow.name, file: where, problems: resolved.problems }, text, exitCode: 1 }
  }
  const { script, warnings } = compileWorkflow({ workflow, steps: resolved.steps, fixed, source: where })
  const warningLines = warnings.map((w) => `warning: ${inert(w)}`).join('\n')
  const out = typeof context.values.out === 'string' ? resolve(context.cwd, context.values.out) : undefined
  const data = {
    workflow: workflow.name,
    file: where,
    ...(out ? { out: displayPath(out, context.cwd) } : {}),
    warnings,
    script,
  }
  if (!out) return { data, text: script, raw: true, ...(warningLines ? { stderr: warningLines } : {}), exitCode: 0 }
  const confineTo = context.env.CLAUDECODE === '1' ? projectOf(context) : undefined
  const refused = linkAt(out) ?? outsideProject(out, confineTo)
  if (refused) throw new UsageError(refused)
  const kept = keptFile(out, file, context.values.force === true)
  if (kept) throw new UsageError(kept)
  try {
    mkdirSync(dirname(out), { recursive: true })
    // Once the folders exist, where they really are: checked again (a folder may have become a link meanwhile),
    // and written there by a rename, which replaces whatever is at the name instead of following it.
    const folder = realpathSync(dirname(out))
    const outside = outsideProject(folder, confineTo)
    if (outside) throw new UsageError(outside)
    writeReplacing(join(folder, basename(out)), script)
  } catch (thrown) {
    if (thrown instanceof UsageError) throw thrown
    throw new SwitchboardError(
      'WORKFLOW_COMPILE_WRITE',
      `cannot write ${inert(out)} (${inert((thrown as NodeJS.ErrnoException).code ?? (thrown as Error).message)}). Pick another --out path.`,
    )
  }
  const steps = workflow.waves.reduce((n, w) => n + w.steps.length, 0)
  const open = Object.keys(workflow.inputs).filter((name) => fixed[name] === undefined)
  const text = [
    `Compiled ${inert(workflow.name)} (${inert(where)}): ${plural(steps, 'step')} in ${plural(workflow.waves.length, 'wave')} -> ${inert(displayPath(out, context.cwd))}`,
    `Run it with Claude Code's Workflow tool: Workflow({ script: <the file's text>${open.length > 0 ? `, args: { ${open.map((n) => `${n}: ...`).join(', ')} }` : ''} }).`,
    "Its agents are guarded and traced where Switchboard's hooks module runs (Claude Code 2.1.331 and later); 2.1.197's Workflow tool runs it with no guard and no trace.",
    ...(warningLines ? ['', warningLines] : []),
  ].join('\n')
  return { data, text, exitCode: 0 }
}

// --- internal ---

/**
 * Why `--out` must not be written through what is at its name: a symbolic link leads anywhere. A repository can
 * ship `build/illustrate.js -> ~/.claude/CLAUDE.md`, a link to a file not there yet, and a compile to the path its
 * README names would create the user's memory file with the workflow's text in it (found by review).
 */
function linkAt(out: string): string | undefined {
  try {
    if (!lstatSync(out).isSymbolicLink()) return undefined
  } catch {
    return undefined // nothing there yet
  }
  return `--out ${inert(out)} is a symbolic link, and Switchboard does not write through links (one can lead anywhere, a file outside the project included). Remove the link, or pick another path`
}

/** The project a compile run from inside Claude Code may write in: Claude Code's project folder, links resolved. */
function projectOf(context: CommandContext): string {
  const project = claudeLocations(context.env, context.cwd).projectDir
  try {
    return realpathSync(project)
  } catch (thrown) {
    throw new UsageError(
      `cannot resolve the project folder ${inert(project)} (${inert((thrown as NodeJS.ErrnoException).code ?? '')})`,
    )
  }
}

/**
 * Run from inside Claude Code (its Bash tool, CLAUDECODE=1), a compile is a model's request to write a file, so it
 * writes only inside the project once every link is resolved, as `@file` inputs are read only from there
 * (argument-file.ts). `path`'s nearest existing folder is resolved: the folders still to be made add no link.
 */
function outsideProject(path: string, project: string | undefined): string | undefined {
  if (project === undefined) return undefined
  let existing = path
  for (;;) {
    try {
      const real = realpathSync(existing)
      const where = join(real, path.slice(existing.length))
      if (isLexicallyInside(project, where)) return undefined
      break
    } catch {
      if (dirname(existing) === existing) break
      existing = dirname(existing)
    }
  }
  return `--out ${inert(path)} is outside the project (${inert(project)}) once links are resolved, and a compile run from inside Claude Code writes only inside the project. Pick a path in the project`
}

/** `text` into `file` by a new file renamed over it: what was at the name (a link planted meanwhile too) is replaced, never followed. */
function writeReplacing(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
  try {
    writeFileSync(temporary, text, { flag: 'wx' })
    renameSync(temporary, file)
  } catch (thrown) {
    rmSync(temporary, { force: true })
    throw thrown
  }
}

/** The inputs given on the command line, checked as `workflow plan` checks them; the rest stay open for `args`. */
function fixedInputs(workflow: Workflow, given: Record<string, string>): Record<string, string> {
  const unknown = Object.keys(given).filter((name) => !Object.hasOwn(workflow.inputs, name))
  if (unknown.length > 0)
    throw new UsageError(
      `there is no input "${inert(unknown[0]!)}". Inputs: ${Object.keys(workflow.inputs).join(', ') || 'none'}`,
    )
  const declared = Object.fromEntries(Object.keys(given).map((name) => [name, workflow.inputs[name]!]))
  const problems = resolveInputs({ inputs: declared }, given).problems
  if (problems.length > 0) throw new UsageError(inert(problems[0]!).replace(/\.$/, ''))
  return given
}

/**
 * Why `--out` must not replace what is there: the workflow itself (its source would be lost), or a file
 * that no compile wrote (unless --force). A script an earlier compile wrote is replaced, as compiling
 * again after a change is the usual loop.
 */
const MAX_SCRIPT_BYTES = 16 * 1024 * 1024

function keptFile(out: string, source: string, force: boolean): string | undefined {
  let target: string
  try {
    target = realpathSync(out)
  } catch {
    return undefined // nothing there yet
  }
  if (target === realpathSync(source))
    return `--out ${inert(out)} is the workflow being compiled; write the script to another file (e.g. ${inert(source.replace(/\.ya?ml$/i, ''))}.workflow.js)`
  if (force) return undefined
  let head = ''
  try {
    // Without waiting (a FIFO at the name would hold the CLI) and bounded: a compile's script is far smaller.
    head = readBytesNoWait(target, MAX_SCRIPT_BYTES).toString('utf8').slice(0, 2000)
  } catch {} // a folder, a pipe, a large or unreadable file: not an earlier compile's
  return head.includes(COMPILED_MARK)
    ? undefined
    : `--out ${inert(out)} exists and is not a script \`workflow compile\` wrote; pick another path, or add --force to replace it`
}
