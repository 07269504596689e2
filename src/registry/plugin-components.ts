/**
 * Where a plugin's components are: the default folders (agents/, commands/, skills/, a root SKILL.md)
 * unless plugin.json names its own paths, the paths the marketplace entry adds, and the warnings when
 * a listed path replaces a folder that holds files. load-plugin.ts reads the plugin with it.
 */
import { join, relative, resolve, sep } from 'node:path'
import { error, warning } from '../common/index.ts'
import type { Diagnostic } from '../common/index.ts'
import type { PluginManifest } from '../manifest/index.ts'
import { spendEntry } from './scan-limits.ts'
import {
  addAgentFile,
  addCommandFile,
  addInlineCommand,
  isDirectory,
  isFile,
  scanAgentFolder,
  scanCommandFolder,
  scanSkillFolder,
  skillsRead,
} from './scan-components.ts'
import type { FolderListing, ScanState, SkillsRead } from './scan-components.ts'
import type { ResolvedManifest } from './resolve-manifest.ts'
import { childPath, normalFolder } from './child-path.ts'

/** A plugin folder found by discovery, before it is read. */

export function scanPluginComponents(
  state: ScanState,
  root: string,
  top: FolderListing,
  resolved: ResolvedManifest,
): void {
  const { own, fromEntry } = resolved
  const base = normalFolder(root)
  const manifestFile = childPath(childPath(base, '.claude-plugin'), 'plugin.json')
  const locate = (path: string, field: string): string | undefined =>
    spendEntry(state.budget)
      ? locateComponentPath(
          root,
          path,
          field,
          resolved.hasManifestFile ? manifestFile : root,
          state.diagnostics,
          state.watched,
        )
      : undefined

  // Agents: plugin.json `agents` replaces agents/; entry agents are added.
  if (own.agents === undefined) {
    if (top.isDirectory('agents')) scanAgentFolder(state, childPath(base, 'agents'))
  } else {
    warnShadowedFolder(state, root, 'agents', own.agents, manifestFile)
  }
  for (const path of [...asList(own.agents), ...asList(fromEntry.agents)]) {
    const file = locate(path, 'agents')
    if (file) addAgentFile(state, file)
  }

  // Commands: plugin.json `commands` replaces commands/; files, folders or a name -> entry map.
  if (own.commands === undefined) {
    if (top.isDirectory('commands')) scanCommandFolder(state, childPath(base, 'commands'))
  } else {
    warnShadowedFolder(state, root, 'commands', own.commands, manifestFile)
  }
  for (const spec of [own.commands, fromEntry.commands]) addCommands(state, spec, locate, manifestFile)

  // Skills: skills/ always, plus every listed skills path; a plugin root SKILL.md when there is neither.
  // Claude Code reads each SKILL.md once per plugin, the first way it reaches it (skills/ first).
  const skillPaths = [...asList(own.skills), ...asList(fromEntry.skills)]
  const seenSkills: SkillsRead = skillsRead()
  if (top.isDirectory('skills')) scanSkillFolder(state, childPath(base, 'skills'), seenSkills)
  else if (skillPaths.length === 0 && top.isFile('SKILL.md')) scanSkillFolder(state, root, seenSkills)
  for (const path of skillPaths) {
    const dir = locate(path, 'skills')
    if (dir) scanSkillFolder(state, dir, seenSkills)
  }
}

function addCommands(
  state: ScanState,
  spec: PluginManifest['commands'],
  locate: (path: string, field: string) => string | undefined,
  manifestFile: string,
): void {
  if (spec === undefined) return
  if (typeof spec === 'string' || Array.isArray(spec)) {
    for (const path of asList(spec)) {
      const target = locate(path, 'commands')
      if (!target) continue
      if (isDirectory(target)) {
        if (isFile(join(target, 'SKILL.md'))) scanSkillFolder(state, target)
        else scanCommandFolder(state, target)
      } else {
        addCommandFile(state, target)
      }
    }
    return
  }
  for (const [key, entry] of Object.entries(spec)) {
    if (entry.source !== undefined) {
      const file = locate(entry.source, `commands.${key}.source`)
      if (file) addCommandFile(state, file, key, entry.description)
    } else if (entry.content !== undefined) {
      addInlineCommand(state, manifestFile, key, entry.content, entry.description)
    } else {
      state.diagnostics.push(
        error(
          'COMMAND_MAP_ENTRY_EMPTY',
          manifestFile,
          `command "${key}" needs "source" (a ./path to a .md file) or "content" (the prompt text).`,
          `commands.${key}`,
        ),
      )
    }
  }
}

/** Resolves a `./` component path; reports paths that escape the plugin or do not exist, as Claude Code does. */
export function locateComponentPath(
  root: string,
  path: string,
  field: string,
  file: string,
  diagnostics: Diagnostic[],
  watched: Set<string>,
): string | undefined {
  const absolute = resolve(root, path)
  const inside = relative(root, absolute)
  if (inside === '..' || inside.startsWith(`..${sep}`)) {
    diagnostics.push(
      error(
        'COMPONENT_PATH_ESCAPES',
        file,
        `"${path}" points outside the plugin folder; Claude Code ignores it (path-traversal). Keep component files inside the plugin.`,
        field,
      ),
    )
    return undefined
  }
  if (!isFile(absolute) && !isDirectory(absolute)) {
    diagnostics.push(
      error(
        'COMPONENT_PATH_NOT_FOUND',
        file,
        `"${path}" does not exist; Claude Code reports "Path not found" and loads the rest. Fix the path or create the file.`,
        field,
      ),
    )
    watched.add(absolute) // the fix the message asks for must reach the registry
    return undefined
  }
  return absolute
}

function warnShadowedFolder(state: ScanState, root: string, folder: string, spec: unknown, manifestFile: string): void {
  const paths = typeof spec === 'string' || Array.isArray(spec) ? asList(spec as string | string[]) : []
  const pointsInto = paths.some(
    (p) => resolve(root, p) === resolve(root, folder) || resolve(root, p).startsWith(resolve(root, folder) + sep),
  )
  if (!pointsInto && isDirectory(join(root, folder))) {
    state.diagnostics.push(
      warning(
        'FOLDER_SHADOWED_BY_MANIFEST',
        manifestFile,
        `plugin.json "${folder}" replaces the default ${folder}/ folder, so the files in ${folder}/ are not loaded. List them in "${folder}" too, or remove the key.`,
        folder,
      ),
    )
  }
}

export function asList(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string')
  return []
}
