import { appendFileSync, mkdirSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildRegistry, isSnapshotFresh, readSnapshot, syncSnapshot } from '../../src/registry/index.ts'
import { toSnapshot } from '../../src/registry/snapshot-store.ts'
import { FIXTURES } from '../helpers/registry.ts'
import { copyFixture, testdir } from '../helpers/testdir.ts'

function setup() {
  const root = testdir()
  const plugin = copyFixture(join(FIXTURES, 'plugins', 'names'), join(root, 'plugins', 'names'))
  const env = { HOME: join(root, 'home'), SWITCHBOARD_DATA_DIR: join(root, 'data'), SWITCHBOARD_PLUGIN_DIRS: plugin }
  return { root, plugin, env, sync: (force = false) => syncSnapshot({ cwd: root, env, force }) }
}

/** Moves a file's mtime forward so the change is visible even within one mtime tick. */
function touch(file: string): void {
  const later = new Date(Date.now() + 5_000)
  utimesSync(file, later, later)
}

describe('registry snapshot', () => {
  it('is built once and reused while nothing changed', () => {
    const { sync } = setup()
    const first = sync()
    expect(first.rebuilt).toBe(true)
    expect(first.snapshot.components.map((c) => c.id)).toEqual([
      'names:front-name',
      'names:git:commit',
      'names:review:security',
      'names:writing-rules',
    ])
    const second = sync()
    expect(second).toMatchObject({ rebuilt: false, file: first.file })
  })

  // Found by review: a snapshot forged with an empty fingerprint (and a private component made callable) stayed
  // fresh through every later edit, `switchboard sync` included. A snapshot vouches only for what it watches.
  it('is stale where it does not watch every component file and loaded plugin it lists', () => {
    const { sync } = setup()
    const { file } = sync()
    const built = readSnapshot(file)!
    expect(isSnapshotFresh(built)).toBe(true)
    writeFileSync(file, JSON.stringify({ ...built, fingerprint: [] }))
    expect(isSnapshotFresh(readSnapshot(file)!)).toBe(false)
    expect(sync().rebuilt).toBe(true)
    const component = built.components[0]!.file
    const partial = { ...built, fingerprint: built.fingerprint.filter(([path]) => path !== component) }
    writeFileSync(file, JSON.stringify(partial))
    expect(isSnapshotFresh(readSnapshot(file)!)).toBe(false)
  })

  it('goes stale when a component file is edited, added or removed', () => {
    const { plugin, sync } = setup()
    sync()
    appendFileSync(join(plugin, 'agents', 'file-name.md'), '\nMore instructions.\n')
    expect(sync().rebuilt).toBe(true)

    writeFileSync(
      join(plugin, 'agents', 'review', 'style.md'),
      '---\nname: style\ndescription: Style review\n---\nBody\n',
    )
    touch(join(plugin, 'agents', 'review'))
    const added = sync()
    expect(added.rebuilt).toBe(true)
    expect(added.snapshot.components.map((c) => c.id)).toContain('names:review:style')

    rmSync(join(plugin, 'skills', 'writing-rules'), { recursive: true })
    touch(join(plugin, 'skills'))
    const removed = sync()
    expect(removed.rebuilt).toBe(true)
    expect(removed.snapshot.components.map((c) => c.id)).not.toContain('names:writing-rules')
  })

  it('goes stale when a plugin gains hooks/hooks.json, or a workflows folder, that it did not have', () => {
    const { plugin, sync } = setup()
    mkdirSync(join(plugin, 'hooks'))
    const { snapshot } = sync(true)
    expect(isSnapshotFresh(snapshot)).toBe(true)
    writeFileSync(join(plugin, 'hooks', 'hooks.json'), '[]') // a list: Claude Code does not load the plugin
    expect(isSnapshotFresh(snapshot)).toBe(false)
    expect(sync().snapshot.plugins[0]).toMatchObject({ loaded: false })

    rmSync(join(plugin, 'hooks'), { recursive: true })
    const again = sync().snapshot
    mkdirSync(join(plugin, 'workflows'))
    touch(plugin)
    expect(isSnapshotFresh(again)).toBe(false)
  })

  it('goes stale when a skill folder gains its SKILL.md, and when a SKILL.md is edited or removed', () => {
    const { plugin, sync } = setup()
    mkdirSync(join(plugin, 'skills', 'later'))
    const { snapshot } = sync(true)
    const paths = snapshot.fingerprint.map(([path]) => path)
    // A skill folder is watched only while it lacks its SKILL.md; the file stands for it after.
    expect(paths).toContain(join(plugin, 'skills', 'later'))
    expect(paths).not.toContain(join(plugin, 'skills', 'writing-rules'))
    expect(paths).toContain(join(plugin, 'skills', 'writing-rules', 'SKILL.md'))
    writeFileSync(join(plugin, 'skills', 'later', 'SKILL.md'), '---\nname: later\ndescription: Later\n---\nBody\n')
    touch(join(plugin, 'skills', 'later'))
    expect(isSnapshotFresh(snapshot)).toBe(false)
    const added = sync().snapshot
    expect(added.components.map((c) => c.id)).toContain('names:later')

    appendFileSync(join(plugin, 'skills', 'writing-rules', 'SKILL.md'), '\nOne more rule.\n')
    expect(isSnapshotFresh(added)).toBe(false)
    const edited = sync().snapshot
    rmSync(join(plugin, 'skills', 'writing-rules', 'SKILL.md'))
    expect(isSnapshotFresh(edited)).toBe(false)
    expect(sync().snapshot.components.map((c) => c.id)).not.toContain('names:writing-rules')
  })

  it('leaves out an absent file of a recorded folder, and still goes stale when it appears', () => {
    const { plugin, sync } = setup()
    const { snapshot } = sync(true)
    const orchestration = join(plugin, '.claude-plugin', 'switchboard.json')
    const paths = snapshot.fingerprint.map(([path]) => path)
    expect(paths).toContain(join(plugin, '.claude-plugin'))
    expect(paths).not.toContain(orchestration)
    writeFileSync(orchestration, '{"defaults": {"callable": false}}')
    touch(join(plugin, '.claude-plugin'))
    expect(isSnapshotFresh(snapshot)).toBe(false)
  })

  it('leaves out hooks/hooks.json where the plugin has no hooks/, and still goes stale when it appears', () => {
    const { plugin, sync } = setup()
    const { snapshot } = sync(true)
    const paths = snapshot.fingerprint.map(([path]) => path)
    expect(paths).toContain(plugin)
    expect(paths).not.toContain(join(plugin, 'hooks', 'hooks.json'))
    mkdirSync(join(plugin, 'hooks'))
    writeFileSync(join(plugin, 'hooks', 'hooks.json'), '[]')
    touch(plugin) // within one mtime tick, the new folder might not show
    expect(isSnapshotFresh(snapshot)).toBe(false)
    expect(sync().snapshot.plugins[0]).toMatchObject({ loaded: false })
  })

  it('keeps watching hooks/hooks.json where a file named hooks stands in the way', () => {
    const { plugin, sync } = setup()
    writeFileSync(join(plugin, 'hooks'), 'not a folder')
    const { snapshot } = sync(true)
    // The nearest path that exists is that file, not a recorded folder: nothing else would notice.
    expect(snapshot.fingerprint.map(([path]) => path)).toContain(join(plugin, 'hooks', 'hooks.json'))
  })

  // A link's target can appear with no change to the folder that holds the link.
  it('goes stale when the target of a dangling link appears: a skill folder, a hooks folder; not for a linked agent file, which is never read', () => {
    const { root, plugin, sync } = setup()
    mkdirSync(join(root, 'shared'))
    symlinkSync(join(root, 'shared', 'late.md'), join(plugin, 'agents', 'late.md'))
    symlinkSync(join(root, 'shared', 'skill'), join(plugin, 'skills', 'late'))
    symlinkSync(join(root, 'shared', 'hooks'), join(plugin, 'hooks'))
    const { snapshot } = sync(true)
    expect(snapshot.components.map((c) => c.id)).not.toContain('names:late')
    // A link in agents/ is never followed (Claude Code follows none there): its target appearing changes nothing.
    expect(snapshot.diagnostics.map((d) => d.code)).toContain('COMPONENT_LINK_SKIPPED')
    writeFileSync(join(root, 'shared', 'late.md'), '---\nname: late\ndescription: Late\n---\nBody\n')
    expect(isSnapshotFresh(snapshot)).toBe(true)
    const agent = snapshot

    mkdirSync(join(root, 'shared', 'skill'))
    writeFileSync(join(root, 'shared', 'skill', 'SKILL.md'), '---\nname: late-skill\ndescription: Late\n---\nBody\n')
    expect(isSnapshotFresh(agent)).toBe(false)
    const skill = sync().snapshot

    mkdirSync(join(root, 'shared', 'hooks'))
    writeFileSync(join(root, 'shared', 'hooks', 'hooks.json'), '[]') // a list: Claude Code does not load the plugin
    expect(isSnapshotFresh(skill)).toBe(false)
    expect(sync().snapshot.plugins[0]).toMatchObject({ loaded: false })
  })

  // The paths are stat-ed after the build read them: an edit in between was recorded as read (found by review).
  it('does not vouch for a file edited while the registry was read, nor doubt one dated in the future', () => {
    const { plugin, env, root } = setup()
    const options = { cwd: root, env }
    const agent = join(plugin, 'agents', 'file-name.md')
    const registry = buildRegistry(options)
    // An edit between the read and the stat, past the first milliseconds of the build, which a file's
    // clock cannot tell from its start (snapshot.ts).
    while (Date.now() < registry.startedAt + 20) {}
    appendFileSync(agent, '\nEdited after the build read it.\n')
    utimesSync(agent, new Date(), new Date())
    const raced = toSnapshot(registry)
    expect(raced.components.find((c) => c.id === 'names:front-name')).toBeDefined()
    expect(isSnapshotFresh(raced)).toBe(false)

    const future = new Date(Date.now() + 3_600_000) // a zip's local times, a clock that ran ahead
    utimesSync(agent, future, future)
    expect(isSnapshotFresh(toSnapshot(buildRegistry(options)))).toBe(true)
  })

  it('goes stale when a settings file that did not exist appears', () => {
    const { env, sync } = setup()
    const { snapshot } = sync()
    expect(isSnapshotFresh(snapshot)).toBe(true)
    testdirWrite(join(env.HOME, '.claude', 'settings.json'), '{"enabledPlugins": {}}')
    expect(isSnapshotFresh(snapshot)).toBe(false)
  })

  it('rebuilds over a corrupt snapshot and leaves no temporary files', () => {
    const { env, sync } = setup()
    const { file } = sync()
    writeFileSync(file, '{"version": 1, "plugins": [')
    expect(readSnapshot(file)).toBeUndefined()
    expect(sync().rebuilt).toBe(true)
    expect(readSnapshot(file)?.components.length).toBe(4)
    expect(readdirSync(env.SWITCHBOARD_DATA_DIR).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('keeps the previous snapshot readable when a writer died before its rename', () => {
    const { env, sync } = setup()
    const { file } = sync()
    // A writer killed mid-write leaves only its temporary file; the snapshot itself is untouched.
    writeFileSync(`${file}.4242.1.tmp`, '{"version": 1, "plu')
    expect(readSnapshot(file)?.components.length).toBe(4)
    expect(sync().rebuilt).toBe(false)
    expect(readdirSync(env.SWITCHBOARD_DATA_DIR)).toContain(`${file.split('/').pop()}.4242.1.tmp`)
  })

  it('uses one snapshot per set of sources', () => {
    const { root, env } = setup()
    const a = syncSnapshot({ cwd: root, env })
    const b = syncSnapshot({ cwd: root, env, pluginDirs: [join(FIXTURES, 'plugins', 'tool-shapes')] })
    expect(a.file).not.toBe(b.file)
  })
})

function testdirWrite(file: string, text: string): void {
  mkdirSync(join(file, '..'), { recursive: true })
  writeFileSync(file, text)
}
