/**
 * The registry build, as a bundle of its own (hooks/bin/registry-rebuild.cjs) that SessionStart requires
 * only when no fresh snapshot exists: the build globs disks and parses markdown and YAML, which a
 * session start with nothing changed should not pay to load.
 */
export { syncSnapshot } from '../registry/index.ts'
