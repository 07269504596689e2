/**
 * The data folder Claude Code gives Switchboard's hooks (`CLAUDE_PLUGIN_DATA`, `<plugins>/data/<name>-
 * <marketplace or inline>`), which the hooks module is not told: the one home of how the module finds
 * it, for the session start (session-start.ts) and the session's state (session-state.ts).
 *
 * `$SWITCHBOARD_DATA_DIR` when set, as in every runtime (registry/data-dir.ts). Else, among the
 * plugin's folders under `<plugins>/data`:
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
): Promise<string | undefined> {
  if (env.SWITCHBOARD_DATA_DIR) return POSIX_PATHS.resolve(cwd, env.SWITCHBOARD_DATA_DIR)
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
  const roots = await Promise.all(names.map((name) => $.fs.read(`${data}/${name}/${PLUGIN_ROOT_FILE}`).catch(() => '')))
  const matching = names.filter((_, index) => roots[index] === $.plugin.root)
  // A plugin folder named by two data folders is a question for the hook.
  return matching.length === 1 ? `${data}/${matching[0]}` : undefined
}
