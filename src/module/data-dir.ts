/**
 * The data folder Claude Code gives Switchboard's hooks (`CLAUDE_PLUGIN_DATA`, `<plugins>/data/<name>-
 * <marketplace or inline>`): the one home of how the module finds it, for the session start
 * (session-start.ts) and the session's state (session-state.ts).
 *
 * `$SWITCHBOARD_DATA_DIR` when set, as in every runtime (registry/data-dir.ts). Else the
 * CLAUDE_PLUGIN_DATA that `$.process.hookEnv()` gives (2.1.331 and 2.1.332: the very folder the hooks
 * get; pluginDataOf). Where that cannot be had (a Claude Code without it), among the plugin's folders
 * under `<plugins>/data`:
 * - `{ session }`: the one holding that session's snapshot pointer, which whoever prepared the session
 *   wrote (the SessionStart hook, or the module itself), and naming this plugin's folder (below);
 * - `{ inline }`: at a session's start, before anything wrote for it, the one whose PLUGIN_ROOT_FILE
 *   (written by the SessionStart hook) names this plugin's folder: `<name>-inline` for a `--plugin-dir`
 *   plugin, exactly one other for an installed one.
 */
import { claudeFolders, PLUGIN_ROOT_FILE, POSIX_PATHS } from '../registry/snapshot-locator.ts'
import type { Env } from '../registry/snapshot-locator.ts'
import { sessionFolderName, SNAPSHOT_POINTER } from '../trace/core.ts'
import type { Engine } from './mod-api.ts'

export async function findDataDir(
  $: Engine,
  env: Env,
  cwd: string,
  by: { session: string } | { inline: boolean },
  pluginData: string | undefined,
): Promise<string | undefined> {
  return (await findDataDirWith($, env, cwd, by, pluginData, async () => undefined))?.dataDir
}

/**
 * CLAUDE_PLUGIN_DATA as Claude Code gives it to this plugin's hooks, or undefined where `$` cannot
 * give it. Asked together with the other first `$` calls of whoever needs the folder.
 */
export async function pluginDataOf($: Engine): Promise<string | undefined> {
  try {
    return (await $.process.hookEnv()).CLAUDE_PLUGIN_DATA || undefined
  } catch {
    return undefined
  }
}

/**
 * findDataDir, with `alongside(folder)` read for each candidate folder in the same batch of `$` calls
 * as its PLUGIN_ROOT_FILE: at a session's start each batch waits on Claude Code's main thread, which is
 * busy starting the session, so what can be asked of every candidate at once is (session-start.ts).
 */
export async function findDataDirWith<T>(
  $: Engine,
  env: Env,
  cwd: string,
  by: { session: string } | { inline: boolean },
  pluginData: string | undefined,
  alongside: (folder: string) => Promise<T>,
): Promise<{ dataDir: string; found: T } | undefined> {
  const given = env.SWITCHBOARD_DATA_DIR || pluginData
  if (given) {
    const dataDir = POSIX_PATHS.resolve(cwd, given)
    return { dataDir, found: await alongside(dataDir) }
  }
  const data = `${claudeFolders(POSIX_PATHS, env, cwd, env.HOME ?? '').pluginsRoot}/data`
  const inlineName = `${$.plugin.name}-inline`
  const ours = (await $.fs.list(data).catch(() => []))
    .map((entry) => entry.name)
    .filter((name) => name.startsWith(`${$.plugin.name}-`))
  let names: string[]
  if ('session' in by) {
    const pointer = `sessions/${sessionFolderName(by.session)}/${SNAPSHOT_POINTER}`
    const holds = await Promise.all(ours.map((name) => $.fs.exists(`${data}/${name}/${pointer}`).catch(() => false)))
    names = ours.filter((_, index) => holds[index])
  } else names = ours.filter((name) => (name === inlineName) === by.inline)
  // Another plugin may be named `switchboard-<anything>`, and its hooks write in its data folder what
  // they like (a session pointer too): a folder is ours only where our SessionStart hook named this
  // plugin's folder, which it does in every session it runs in.
  const [roots, found] = await Promise.all([
    // A range: a pipe in its place is refused at once (review); a plugin folder's path is far shorter.
    Promise.all(
      names.map((name) => $.fs.read(`${data}/${name}/${PLUGIN_ROOT_FILE}`, { length: 65536 }).catch(() => '')),
    ),
    Promise.all(names.map((name) => alongside(`${data}/${name}`))),
  ])
  const matching = names.flatMap((name, index) => (roots[index] === $.plugin.root ? [index] : []))
  // A plugin folder named by two data folders is a question for the hook.
  if (matching.length !== 1) return undefined
  return { dataDir: `${data}/${names[matching[0]!]}`, found: found[matching[0]!]! }
}
