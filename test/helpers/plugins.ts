import { join } from 'node:path'
import { SWITCHBOARD_ROOT } from '../harness/index.ts'

/** The four example plugins (examples/), as --plugin-dir folders. */
export const EXAMPLES = ['tdd-editor', 'tdd-design', 'tdd-tech', 'tdd-growth'].map((name) =>
  join(SWITCHBOARD_ROOT, 'examples', name),
)

/** One example plugin folder. */
export const EXAMPLE = (name: string): string => join(SWITCHBOARD_ROOT, 'examples', name)

/** One fixture plugin folder (test/fixtures/plugins/). */
export const FIXTURE = (name: string): string => join(SWITCHBOARD_ROOT, 'test', 'fixtures', 'plugins', name)
