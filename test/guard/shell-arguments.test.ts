// Found by review: Claude Code pastes a command's arguments unquoted into its `!` shell lines, and the guard
// put `$slot` values there, so another plugin's return ran as shell in the user's session, unseen by the
// model. The registry marks what runs arguments in a shell; the guard passes such a component no slot value.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Slot } from '../../src/context/core.ts'
import { findComponent, planInjection } from '../../src/guard/index.ts'
import { buildRegistry } from '../../src/registry/index.ts'
import { REPO } from '../helpers/cli.ts'

const registry = buildRegistry({
  cwd: REPO,
  env: { HOME: '/nonexistent' },
  installed: false,
  pluginDirs: [join(REPO, 'test', 'fixtures', 'plugins', 'git-helper')],
})
const style: Slot = {
  name: 'style',
  type: 'text',
  value: `x"; touch PWNED; echo "`,
  writer: 'return:evil:agent',
  ts: 1,
}
const inject = (id: string, args: string) =>
  planInjection({
    invocation: 'toolu_1',
    caller: 'main',
    chain: ['main'],
    component: findComponent(registry, id)!,
    toolInput: { skill: id, args },
    slot: (name) => (name === style.name ? style : undefined),
    slotNames: () => [style.name],
    filesDir: '/nonexistent/files',
  })

describe('a command or skill that runs its arguments in a shell', () => {
  it('is marked by the registry: a `!` span or block that reads them, not one that names only Claude Code variables', () => {
    const marked = Object.fromEntries(registry.components.map((c) => [c.id, c.shellArguments === true]))
    expect(marked).toEqual({
      'git-helper:commit-msg': true, // !`echo "Style: $ARGUMENTS"`
      'git-helper:changelog': true, // a ```! block with $0
      'git-helper:branch-status': false, // ${CLAUDE_PLUGIN_ROOT} and ${CLAUDE_SESSION_ID} only; $ARGUMENTS outside the span
      'git-helper:explain': false, // git!`status`: no span where `!` follows a letter
    })
  })

  it('gets no slot value: the call is refused, naming the slot; plain arguments pass as before', () => {
    for (const id of ['git-helper:commit-msg', 'git-helper:changelog']) {
      const refused = inject(id, 'conventional, $style')
      expect(refused).toEqual({
        kind: 'deny',
        reason: expect.stringContaining(`context: ${id} runs its arguments in a shell`),
      })
      expect(refused.kind === 'deny' && refused.reason).toContain('($style)')
      expect(inject(id, 'conventional commits').kind).toBe('none')
    }
    expect(inject('git-helper:branch-status', 'focus on $style').kind).toBe('rewrite')
  })
})
