/** `switchboard sync`: rebuild the registry snapshot hooks read, when anything it was built from changed. */
import { inert } from '../common/index.ts'
import { syncSnapshot } from '../registry/index.ts'
import { dataDirOf, registryOptionsOf } from './command.ts'
import type { CommandContext, CommandResult } from './command.ts'
import { displayPath, plural } from './format.ts'

export function run(context: CommandContext): CommandResult {
  const started = performance.now()
  // Into the folder this copy's hooks read (an installed copy's own, not switchboard-inline): dataDirOf.
  const options = registryOptionsOf(context)
  const result = syncSnapshot({
    ...options,
    env: { ...options.env, SWITCHBOARD_DATA_DIR: dataDirOf(context) },
    force: context.values.force === true,
  })
  const ms = Math.round(performance.now() - started)
  const { snapshot } = result
  return {
    data: {
      file: result.file,
      rebuilt: result.rebuilt,
      builtAt: snapshot.builtAt,
      plugins: snapshot.plugins.length,
      components: snapshot.components.length,
      watched: snapshot.fingerprint.length,
      ms,
    },
    text: `${result.rebuilt ? 'Rebuilt' : 'Up to date:'} ${inert(displayPath(result.file, context.cwd))} (${plural(snapshot.components.length, 'component')} in ${plural(snapshot.plugins.length, 'plugin')}, ${snapshot.fingerprint.length} paths watched, ${ms} ms)`,
    exitCode: 0,
  }
}
