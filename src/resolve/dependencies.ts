/**
 * Dependency resolution over Claude Code's native plugin.json `dependencies`: which are missing,
 * which are installed at a version outside the declared range, which form cycles, and the order in
 * which plugins load (each after what it depends on).
 */
import satisfies from 'semver/functions/satisfies.js'
import validVersion from 'semver/functions/valid.js'
import coerce from 'semver/functions/coerce.js'
import { error, warning } from '../common/index.ts'
import type { Diagnostic } from '../common/index.ts'

/** A dependency as written in plugin.json, normalised. */
export interface DependencyRef {
  name: string
  marketplace?: string
  /** A semver range, when the author gave one. */
  range?: string
}

/** What resolution needs to know of a plugin. */
export interface DependencyNode {
  name: string
  marketplace?: string
  version?: string
  dependencies: DependencyRef[]
  /** The file the dependencies were declared in (plugin.json or marketplace.json). */
  file: string
  /** A folder given with --plugin-dir: not installed, so `claude plugin update` does nothing for it. */
  folder?: string
}

/** A dependency installed at a version outside the declared range, as data (the guard decides on it). */
interface VersionMismatch {
  plugin: string
  dependency: string
  range: string
  installed: string
}

export interface DependencyReport {
  diagnostics: Diagnostic[]
  mismatches: VersionMismatch[]
  /** Every cycle once, as the names along it: `['a', 'b', 'a']`. */
  cycles: string[][]
  /** Plugin names, each after the plugins it depends on; plugins in cycles last, by name. */
  loadOrder: string[]
}

/** A plugin that is there but that Claude Code does not load: where it is, and why not. */
export interface RefusedPlugin {
  name: string
  where: string
  why: string
  /** What makes it load, as a sentence: "Enable it: claude plugin enable x@m". */
  fix: string
}

/**
 * Checks every plugin's dependencies against the others. Pure: same input, same report. `refused`: plugins
 * found but not loaded, so a dependency on one is said as the problem it is, not as one to install.
 */
export function resolveDependencies(
  nodes: readonly DependencyNode[],
  refused: readonly RefusedPlugin[] = [],
): DependencyReport {
  const byName = new Map<string, DependencyNode[]>()
  for (const node of nodes) byName.set(node.name, [...(byName.get(node.name) ?? []), node])
  const diagnostics: Diagnostic[] = []
  const mismatches: VersionMismatch[] = []
  const edges = new Map<string, string[]>()
  const targetsOf = new Map<DependencyNode, string[]>()

  // In name order, the nodes whose order shows: those with dependencies, whose diagnostics these are. Most
  // plugins have none, and their registry compares no names: the first localeCompare of a process loads the
  // collator, about 10 ms of a registry's first build (measured), and each one after is slow too.
  for (const node of sortedByName(nodes.filter((n) => n.dependencies.length > 0))) {
    const targets: string[] = []
    node.dependencies.forEach((dep, index) => {
      const candidates = (byName.get(dep.name) ?? []).filter(
        (c) => !dep.marketplace || !c.marketplace || c.marketplace === dep.marketplace,
      )
      const target = candidates[0]
      if (!target) {
        diagnostics.push(
          missing(
            node,
            dep,
            index,
            refused.find((r) => r.name === dep.name),
          ),
        )
        return
      }
      targets.push(target.name)
      const versionProblem = checkVersion(node, dep, target, index)
      if (versionProblem) diagnostics.push(versionProblem)
      if (versionProblem?.code === 'DEPENDENCY_VERSION_MISMATCH')
        mismatches.push({ plugin: node.name, dependency: target.name, range: dep.range!, installed: target.version! })
    })
    targetsOf.set(node, [...new Set(targets)])
  }
  // Each name's edges are its last node's (a name given twice): the last in name order, which is the last
  // given, as names that are equal compare equal and a sort keeps their order. No reader of edges takes its
  // keys in the order set.
  for (const node of nodes) edges.set(node.name, targetsOf.get(node) ?? [])

  const cycles = findCycles(edges)
  for (const cycle of cycles) {
    const first = byName.get(cycle[0] ?? '')?.[0]
    diagnostics.push(
      error(
        'DEPENDENCY_CYCLE',
        first?.file ?? '',
        `dependency cycle: ${cycle.join(' -> ')}. Claude Code cannot enable these plugins in any order; remove one of these dependencies.`,
        'dependencies',
      ),
    )
  }
  return { diagnostics, mismatches, cycles, loadOrder: loadOrder(edges, cycles) }
}

/**
 * Which plugins Claude Code refuses because a dependency is not loaded, with its reason. Cascades:
 * a plugin whose dependency was itself refused is refused too (verified on 2.1.197 and 2.1.331:
 * `dependency-unsatisfied`, "Dependency "x" is disabled"). Version ranges play no part here: Claude
 * Code checks them only for marketplace-qualified dependencies, and Switchboard reports mismatches
 * separately (resolveDependencies).
 */
export function unsatisfiedPlugins(
  nodes: readonly DependencyNode[],
  refusedHere: readonly RefusedPlugin[] = [],
): Map<string, string> {
  const refused = new Map<string, string>()
  let changed = true
  while (changed) {
    changed = false
    for (const node of nodes) {
      if (refused.has(node.name)) continue
      for (const dep of node.dependencies) {
        const present = nodes.filter(
          (c) => c.name === dep.name && (!dep.marketplace || !c.marketplace || c.marketplace === dep.marketplace),
        )
        if (present.length === 0) {
          const id = dep.marketplace ? `${dep.name}@${dep.marketplace}` : dep.name
          // Here but refused (its manifest is broken): installing it again would not help.
          const there = refusedHere.find((r) => r.name === dep.name)
          refused.set(
            node.name,
            there
              ? `dependency "${id}" is here (${there.where}) but Claude Code does not load it: ${there.why}. ${there.fix}, or remove the dependency`
              : `dependency "${id}" is not installed; install it (claude plugin install ${id}) or remove the dependency`,
          )
        } else if (present.every((c) => refused.has(c.name))) {
          refused.set(node.name, `dependency "${dep.name}" is not loaded (${refused.get(dep.name)})`)
        } else {
          continue
        }
        changed = true
        break
      }
    }
  }
  return refused
}

/** Formats a dependency the way users write it: `editor@^2.0.0`, `editor (marketplace tools)`. */
export function formatDependency(dep: DependencyRef): string {
  const version = dep.range ? `@${dep.range}` : ''
  const where = dep.marketplace ? ` from marketplace "${dep.marketplace}"` : ''
  return `${dep.name}${version}${where}`
}

// --- internal ---

function missing(node: DependencyNode, dep: DependencyRef, index: number, there?: RefusedPlugin): Diagnostic {
  if (there)
    return error(
      'DEPENDENCY_MISSING',
      node.file,
      `plugin "${node.name}" needs ${formatDependency(dep)}, which is here (${there.where}) but Claude Code does not load it: ${there.why}. ${there.fix}.`,
      `dependencies.${index}`,
    )
  const install = dep.marketplace
    ? `${dep.name}@${dep.marketplace}`
    : node.marketplace
      ? `${dep.name}@${node.marketplace}`
      : dep.name
  return error(
    'DEPENDENCY_MISSING',
    node.file,
    `plugin "${node.name}" needs ${formatDependency(dep)}, which is not installed. Install it: claude plugin install ${install}`,
    `dependencies.${index}`,
  )
}

function checkVersion(
  node: DependencyNode,
  dep: DependencyRef,
  target: DependencyNode,
  index: number,
): Diagnostic | undefined {
  if (!dep.range) return undefined
  const installed = target.version
  const exact = installed ? validVersion(installed) : null
  if (!exact) {
    const guess = installed ? coerce(installed)?.version : undefined
    return warning(
      'DEPENDENCY_VERSION_UNKNOWN',
      node.file,
      `plugin "${node.name}" needs ${dep.name}@${dep.range} but ${dep.name} declares ${installed ? `version "${installed}", which is not semver` : 'no version'}; the range cannot be checked. ${guess ? `Did ${dep.name} mean "${guess}"? ` : ''}Ask its author to set "version" in its plugin.json.`,
      `dependencies.${index}`,
    )
  }
  if (satisfies(exact, dep.range, { includePrerelease: true })) return undefined
  return error(
    'DEPENDENCY_VERSION_MISMATCH',
    node.file,
    target.folder
      ? `plugin "${node.name}" needs ${dep.name}@${dep.range} but the ${dep.name} loaded from ${target.folder} (--plugin-dir) is ${exact}. Use a folder with a version in range, or relax the range.`
      : `plugin "${node.name}" needs ${dep.name}@${dep.range} but ${dep.name} ${exact} is installed. Update ${dep.name} (claude plugin update ${dep.name}) or relax the range.`,
    `dependencies.${index}`,
  )
}

/** Tarjan's strongly connected components; each component of more than one node (or a self-loop) is reported as one cycle path. */
function findCycles(edges: Map<string, string[]>): string[][] {
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const components: string[][] = []
  let counter = 0

  const visit = (node: string): void => {
    index.set(node, counter)
    low.set(node, counter)
    counter++
    stack.push(node)
    onStack.add(node)
    for (const next of edges.get(node) ?? []) {
      if (!edges.has(next)) continue
      if (!index.has(next)) {
        visit(next)
        low.set(node, Math.min(low.get(node)!, low.get(next)!))
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!))
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = []
      let member: string | undefined
      do {
        member = stack.pop()!
        onStack.delete(member)
        component.push(member)
      } while (member !== node)
      const selfLoop = component.length === 1 && (edges.get(node) ?? []).includes(node)
      if (component.length > 1 || selfLoop) components.push(component)
    }
  }
  for (const node of [...edges.keys()].sort()) if (!index.has(node)) visit(node)
  return components.map((component) => cyclePath(component, edges)).sort((a, b) => a.join().localeCompare(b.join()))
}

/** A readable path through a strongly connected component, from its smallest name back to itself. */
function cyclePath(component: string[], edges: Map<string, string[]>): string[] {
  const members = new Set(component)
  const start = [...component].sort()[0]!
  // Breadth-first search for the shortest way from start back to start inside the component.
  const previous = new Map<string, string>()
  const queue = [start]
  while (queue.length > 0) {
    const node = queue.shift()!
    for (const next of [...(edges.get(node) ?? [])].sort()) {
      if (!members.has(next)) continue
      if (next === start) {
        const path = [start]
        for (let at: string | undefined = node; at !== undefined && at !== start; at = previous.get(at))
          path.splice(1, 0, at)
        return [...path, start]
      }
      if (!previous.has(next)) {
        previous.set(next, node)
        queue.push(next)
      }
    }
  }
  return [start, start]
}

function loadOrder(edges: Map<string, string[]>, cycles: string[][]): string[] {
  const inCycle = new Set(cycles.flat())
  const order: string[] = []
  const done = new Set<string>()
  const visit = (node: string): void => {
    if (done.has(node) || inCycle.has(node)) return
    done.add(node)
    for (const dep of [...(edges.get(node) ?? [])].sort()) if (edges.has(dep)) visit(dep)
    order.push(node)
  }
  for (const node of [...edges.keys()].sort()) visit(node)
  return [...order, ...[...inCycle].sort()]
}

function sortedByName(nodes: readonly DependencyNode[]): DependencyNode[] {
  return [...nodes].sort((a, b) => a.name.localeCompare(b.name))
}
