// What scripts/bench-registry.mjs measures, bundled the way the shipped bundles are: the registry build,
// the snapshot it writes, and the freshness check and read every session start and hook do.
export { buildRegistry, isSnapshotFresh, readSnapshot } from '../src/registry/index.ts'
export { toSnapshot, writeSnapshot } from '../src/registry/snapshot-store.ts'
