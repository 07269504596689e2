/**
 * The data folder Claude Code gives Switchboard's hooks (`CLAUDE_PLUGIN_DATA`, `<plugins>/data/<name>-
 * <marketplace or inline>`), which the hooks module is not told: the one home of how the module finds
 * it, for the session start (session-start.ts) and the session's state (session-state.ts).
 *
 * `$SWITCHBOARD_DATA_DIR` when set, as in every runtime (registry/data-dir.ts). Else, among the
 * plugin's folders under `<plugins>/data`:
 * - `{ session }`: the one holding that session's snapshot pointer, which whoever prepared the session
 *   wrote (the SessionStart hook, or the module itself);
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
  const names = 'session' in by ? ours : ours.filter((name) => (name === inlineName) === by.inline)
  const holds = await Promise.all(
    names.map((name) =>
      'session' in by
        ? $.fs
            .exists(`${data}/${name}/sessions/${sessionFolderName(by.session)}/${SNAPSHOT_POINTER}`)
            .catch(() => false)
        : $.fs
            .read(`${data}/${name}/${PLUGIN_ROOT_FILE}`)
            .then((root) => root === $.plugin.root)
            .catch(() => false),
    ),
  )
  const matching = names.filter((_, index) => holds[index])
  // A session's folder is in one data folder; a plugin folder named by two is a question for the hook.
  return 'session' in by || matching.length === 1 ? matching.map((name) => `${data}/${name}`)[0] : undefined
}
