import { readFileSync } from 'node:fs'
import { defineConfig } from 'vitest/config'

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string }

export default defineConfig({
  // The same constant the build injects into the bundles (scripts/build.mjs).
  define: { __SWITCHBOARD_VERSION__: JSON.stringify(version) },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test/claude-code/**'],
    globalSetup: ['test/global-setup.ts'],
    // Conformance tests walk hundreds of real plugins; give them room on a 2-core CI machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
