#!/usr/bin/env node
// Bundles everything Claude Code runs into committed, self-contained JavaScript that needs only
// `node` (an installed plugin has no node_modules and no build step), in the two folders the
// marketplace installs (and nothing else of the repository):
//   plugin/bin/switchboard                the CLI (Claude Code puts a plugin's bin/ on the Bash tool's PATH)
//   plugin/hooks/bin/module.mjs           the hooks module; session-start.cjs, SessionStart's hook
//   plugin/mcp/server.mjs                 the MCP server (declared in plugin/.mcp.json)
// (The companion plugin switchboard-hooks, plugin-hooks/, holds no code: its per-call settings hooks are
// `mcp_tool` hooks answered by the MCP server, mcp/hook-tool.ts.)
//   <each>/THIRD-PARTY-NOTICES.md         the licences of the packages bundled into that folder's files
// `--check` rebuilds in memory and fails if any committed file differs (CI runs it).
import { readFileSync, writeFileSync, mkdirSync, chmodSync, existsSync, readdirSync, rmSync } from 'node:fs'
import { basename, dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { withCodeCache } from './code-cache.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const check = process.argv.includes('--check')

/** Each bundle: an entry in src/ and the committed file Claude Code runs. */
export const BUNDLES = [
  // The CLI loads only what a command uses: its command table is split into chunks (cli/), each
  // command's code loaded when it runs, so `--version` and `help` read a few KB. bin/switchboard (on the
  // Bash tool's PATH while the plugin is enabled) only imports the entry.
  {
    entry: 'src/cli/main.ts',
    outfile: 'plugin/cli/switchboard.mjs',
    split: true,
    launcher: 'plugin/bin/switchboard',
    maxKB: 24,
  },
  // The MCP server starts light (Claude Code waits for it at session start) and loads its tools' bundle at the first call.
  { entry: 'src/mcp/server.ts', outfile: 'plugin/mcp/server.mjs', light: true, maxKB: 16 },
  // 678: a run_workflow that stops, saying why, where a receipt cannot be restored into its slot (it threw).
  // 681: the registry build's faster paths (plugin.json read without zod where it is plainly valid, the
  // frontmatter block found without a regular expression).
  // 683: run_workflow's sealed run file, receipts folders checked for links, Read ask rules, and simple-yaml reading
  // quoted strings and lists over several lines (no corpus block left to the yaml package).
  // 684: the registry build's fifth round (shell spans found in a file's bytes, an argument-hint list read
  // without zod), for a first build with less to compile.
  // 686: project settings that cannot be read whole refuse every call (a padded file's env block was missed),
  // unclosed quotes refused, and a callers denial that names the fix; 688 with both; 689 with plainer frontmatter errors; 690 with $inputs suggested for a typo of it.
  { entry: 'src/mcp/tool-calls.ts', outfile: 'plugin/mcp/tools.mjs', maxKB: 690 },
  // The companion's per-call settings hooks, answered by the server at every guarded call where the module
  // does not run (mcp/hook-tool.ts): light, and without semver (`hot`'s rule), so their first call loads little.
  { entry: 'src/mcp/hook-tool.ts', outfile: 'plugin/mcp/hooks.mjs', light: true, noSemver: true, maxKB: 128 },
  // SessionStart's process runs at session starts the hooks module did not prepare: light, CommonJS
  // (which Node loads about 10 ms faster than an ES module) compiled with V8's code cache (`hot`,
  // scripts/code-cache.mjs; 1.39 to 1.2x bare node, scripts/bench-hooks.mjs), and it requires the
  // registry build (its own bundle) only when the snapshot is stale.
  {
    entry: 'src/hooks/entries/session-start.ts',
    outfile: 'plugin/hooks/bin/session-start.cjs',
    light: true,
    format: 'cjs',
    hot: true,
    maxKB: 64,
  },
  {
    entry: 'src/hooks/registry-rebuild.ts',
    outfile: 'plugin/hooks/bin/registry-rebuild.cjs',
    format: 'cjs',
    maxKB: 440,
  },
  // The hooks module runs inside Claude Code, with no Node and no require: a neutral ES module with
  // static imports only (a module holding `import()` does not load), at most 1 MiB. The budget has a few KB of
  // headroom over what it is, so growth is a decision: 176 KB with the settings files' decoding (UTF-16), CronCreate
  // and prompts other plugins' code submits; 178 with a call's tokens logged behind its report; 181 with its call
  // log in segments (a write as long as a segment, not the session; a resumed log read safely); 182 with a slot
  // never written through a link planted in its place; 184 with no file it writes written through one, and a bound
  // on what a resume reads; 186 with inert() linear (a replacer in place of a lookbehind) and deny rules
  // applied to targets the registry does not know; 188 with
  // no write over a file not its own (value files, slots, log segments) and a context it cannot keep refusing the call;
  // 190 with the session's start files, the marker and receipts held to the same; 192 with receipts looked at before each
  // write, transcripts read as ranges, and a turns budget that says what it could not count; 185 with SHA-256 written
  // out (common/sha256.ts) in place of @noble/hashes (183 KB, 4% fewer syntax nodes to analyse).
  // 186: project settings that cannot be read whole (past 4 MiB, a folder, a pipe) refuse every call, as in Node;
  // 187 with an invoke line whose quote is never closed, or that gives --into twice, refused as a shell would; 188
  // with a callers denial that names the fix (one string: Claude Code's analysis costs per syntax node, not byte).
  { entry: 'src/module/register.ts', outfile: 'plugin/hooks/bin/module.mjs', light: true, neutral: true, maxKB: 188 },
]

/**
 * zod's classic API (`import { z } from 'zod'`) exports every locale as `z.locales`, and a namespace
 * object cannot be tree-shaken: about 400 KB of error messages in 40 languages, parsed at every start.
 * Switchboard words its own messages (common/zod-issues.ts) and zod uses English by default, so the
 * bundles get English only.
 */
const englishOnlyZod = {
  name: 'english-only-zod',
  setup(b) {
    // The virtual module's path names no folder: esbuild hashes chunk names from it, and the build
    // must give the same files in any checkout (build --check in CI).
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /node_modules\/zod\/v4\/(classic|core)$/.test(args.resolveDir)
        ? {
            path: 'zod-locales-en-only',
            namespace: 'english-only-zod',
            pluginData: { dir: join(args.resolveDir, '..', 'locales') },
          }
        : undefined,
    )
    b.onLoad({ filter: /.*/, namespace: 'english-only-zod' }, (args) => ({
      contents: "export { default as en } from './en.js'",
      loader: 'js',
      resolveDir: args.pluginData.dir,
    }))
  },
}

/**
 * semver builds about 80 regular expressions when it loads (about 20 ms in a hook process). It has no
 * side effects beyond that, so where a bundle imports it but never calls it (a barrel re-exports the
 * capability router), the import is dropped. The guard itself needs no semver (Snapshot capabilityCalls).
 */
const pureSemver = {
  name: 'pure-semver',
  setup(b) {
    b.onResolve({ filter: /^semver\// }, async (args) => {
      if (args.pluginData?.pureSemver) return undefined
      const resolved = await b.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: { pureSemver: true },
      })
      return { ...resolved, sideEffects: false }
    })
  },
}

const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version
const outputs = new Map()
/** Per plugin folder with bundles (plugin/; the companion plugin-hooks/ has none): the packages bundled into its files, for its notices. */
const bundledPackages = new Map()
for (const bundle of BUNDLES) {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [bundle.entry],
    bundle: true,
    platform: bundle.neutral ? 'neutral' : 'node',
    target: bundle.neutral ? 'es2023' : 'node20',
    ...(bundle.neutral ? { mainFields: ['module', 'main'] } : {}),
    // ESM by default: the root package.json says "type": "module", which also governs the extension-less bin.
    format: bundle.format ?? 'esm',
    // The hooks module stays readable: Claude Code's loader reads its source and wants `$` spelled `$`.
    minify: !bundle.neutral,
    legalComments: 'none',
    define: {
      __SWITCHBOARD_VERSION__: JSON.stringify(version),
      __SWITCHBOARD_CJS_BUNDLE__: JSON.stringify(bundle.format === 'cjs'),
    },
    banner: {
      js: [
        bundle.banner,
        `// Generated by scripts/build.mjs from ${bundle.entry}. Do not edit; run \`npm run build\`.`,
        // Bundled CommonJS packages (fast-glob) call require() for Node built-ins (ESM bundles only).
        bundle.format === 'cjs' || bundle.neutral
          ? undefined
          : "import { createRequire as __sbCreateRequire } from 'node:module'; const require = __sbCreateRequire(import.meta.url);",
      ]
        .filter(Boolean)
        .join('\n'),
    },
    write: false,
    metafile: true,
    logLevel: 'error',
    plugins: [englishOnlyZod, pureSemver],
    ...(bundle.split
      ? {
          splitting: true,
          outdir: join(root, dirname(bundle.outfile)),
          entryNames: 'switchboard',
          chunkNames: 'chunks/cli-[name]-[hash]',
          outExtension: { '.js': '.mjs' },
        }
      : {}),
  })
  // The entry, and with `split` its chunks beside it.
  const entryFile = bundle.split
    ? result.outputFiles.find((file) => file.path === join(root, bundle.outfile))
    : result.outputFiles[0]
  for (const file of result.outputFiles)
    if (file !== entryFile) outputs.set(relative(root, file.path), { text: file.text })
  const text = bundle.hot
    ? withCodeCache(entryFile.text, { entry: bundle.entry, name: basename(bundle.outfile, '.cjs') })
    : entryFile.text
  outputs.set(bundle.outfile, { text, executable: bundle.executable })
  if (bundle.launcher)
    outputs.set(bundle.launcher, {
      text: `#!/usr/bin/env node
// Generated by scripts/build.mjs: the CLI is ${bundle.outfile} and its chunks. Do not edit; run \`npm run build\`.
import '../${relative('plugin', bundle.outfile)}'
`,
      executable: true,
    })
  if (bundle.neutral) checkModule(bundle.outfile, entryFile.text)
  // Every bundle has a size budget: its start-up cost grows with it (Claude Code reads a hooks module's
  // whole source before loading it; docs/runtimes.md). Raise one only with the reason in the commit.
  const kb = Buffer.byteLength(text) / 1024
  if (kb > bundle.maxKB) {
    console.error(
      `build: ${bundle.outfile} is ${Math.round(kb)} KB, over its budget of ${bundle.maxKB} KB (scripts/build.mjs). Find what grew with an esbuild metafile, or raise the budget and say why.`,
    )
    process.exit(1)
  }
  // What ended up in the bundle (the inputs esbuild visited but shook out do not count).
  const [, entryOutput] =
    Object.entries(result.metafile.outputs).find(([file]) => file.endsWith(bundle.outfile)) ??
    Object.entries(result.metafile.outputs)[0]
  const inOutput = Object.entries(entryOutput.inputs)
    .filter(([, input]) => input.bytesInOutput > 0)
    .map(([file]) => file)
  const heavy = inOutput.filter((input) =>
    /node_modules\/(yaml|fast-glob|gray-matter|picomatch)\/|node_modules\/zod\/v4\/locales\/(?!en(-only)?\.js)/.test(
      input,
    ),
  )
  // A hook process that starts often (`hot`: SessionStart's), and the per-call hooks' code (`noSemver`), do
  // without semver too (the guard reads capabilityCalls); a hot process also without the Node built-ins that
  // cost a process milliseconds to load.
  if (bundle.hot || bundle.noSemver) heavy.push(...inOutput.filter((input) => /node_modules\/semver\//.test(input)))
  if (bundle.hot) {
    const builtins = [...entryFile.text.matchAll(/require\("(node:(?:crypto|child_process|vm))"\)/g)].map((m) => m[1])
    if (builtins.length > 0) {
      console.error(
        `build: ${bundle.outfile} runs on every call but its code loads ${[...new Set(builtins)].join(', ')}, milliseconds per process. Keep them out of the hooks' imports.`,
      )
      process.exit(1)
    }
  }
  // Claude Code analyses the hooks module's whole code at every session's start, so it holds no
  // schema library, no semver, no JSON Schema validator and no workflow engine: workflows are parsed
  // and run, capability ranges routed and full JSON Schema contracts checked on Node (the MCP server's
  // drive_workflow, route_capabilities and check_return answer the module, which makes the calls and
  // checks short-form contracts itself).
  if (bundle.neutral) {
    heavy.push(...inOutput.filter((input) => /node_modules\/(zod|semver|@cfworker\/json-schema)\//.test(input)))
    const engine = inOutput.filter((input) =>
      /^src\/workflow\/(run-engine|check[^/]*|resolve-calls|conditions|fill|inputs|parse|schema)\.ts$/.test(input),
    )
    if (engine.length > 0) {
      console.error(
        `build: ${bundle.outfile} bundles the workflow engine or checker (${engine.join(', ')}). The MCP server runs them (drive_workflow); the module only makes the calls.`,
      )
      process.exit(1)
    }
  }
  if (bundle.light && heavy.length > 0) {
    console.error(
      `build: ${bundle.outfile} must stay light but bundles ${[...new Set(heavy.map((i) => i.split('node_modules/')[1].split('/')[0]))].join(', ')}. Import only the registry's light door (snapshot.ts) from hooks.`,
    )
    process.exit(1)
  }
  const pluginFolder = bundle.outfile.split('/')[0]
  if (!bundledPackages.has(pluginFolder)) bundledPackages.set(pluginFolder, new Map())
  for (const input of Object.keys(result.metafile.inputs)) {
    // The innermost node_modules names the package (micromatch/node_modules/picomatch is picomatch).
    const match = /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input)
    if (match) bundledPackages.get(pluginFolder).set(match[1], match[0].slice(0, -1))
  }
}
for (const [folder, packages] of bundledPackages)
  outputs.set(`${folder}/THIRD-PARTY-NOTICES.md`, { text: notices(packages) })

/** The chunk folders: whatever they hold beyond this build's chunks is stale. */
const chunkDirs = BUNDLES.filter((b) => b.split).map((b) => join(dirname(b.outfile), 'chunks'))
const leftovers = chunkDirs
  .flatMap((dir) => (existsSync(join(root, dir)) ? readdirSync(join(root, dir)).map((f) => join(dir, f)) : []))
  .filter((file) => !outputs.has(file))
if (check) {
  const stale = [
    ...[...outputs]
      .filter(([file, { text }]) => !existsSync(join(root, file)) || readFileSync(join(root, file), 'utf8') !== text)
      .map(([file]) => file),
    ...leftovers,
  ]
  if (stale.length > 0) {
    console.error(`build --check: stale bundles: ${stale.join(', ')}. Run \`npm run build\` and commit the result.`)
    process.exit(1)
  }
  console.log(`build --check: ${outputs.size} committed files are up to date`)
} else {
  for (const file of leftovers) rmSync(join(root, file))
  for (const [file, { text, executable }] of outputs) {
    mkdirSync(dirname(join(root, file)), { recursive: true })
    writeFileSync(join(root, file), text)
    if (executable) chmodSync(join(root, file), 0o755)
    console.log(`wrote ${file} (${Math.round(text.length / 1024)} KB)`)
  }
}

function notices(packages) {
  const sections = [...packages.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, dir]) => {
      const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'))
      const licenseFile = ['LICENSE', 'LICENSE.md', 'LICENSE.txt', 'license', 'LICENCE']
        .map((f) => join(root, dir, f))
        .find(existsSync)
      const text = licenseFile ? readFileSync(licenseFile, 'utf8').trim() : `License: ${pkg.license ?? 'see package'}`
      return `## ${name} ${pkg.version} (${pkg.license ?? 'unknown'})\n\n${text}\n`
    })
  return `# Third-party software bundled into Switchboard's executables\n\nGenerated by scripts/build.mjs.\n\n${sections.join('\n')}`
}

/** What Claude Code's hooks module loader refuses, checked at build time rather than found in a session. */
function checkModule(outfile, text) {
  const problems = [
    /\bimport\s*\(/.test(text) && 'a dynamic import()',
    // (no require: a neutral bundle errors at build time on a Node built-in, and ajv's `require("…")` are strings of its code generator)
    /from\s*["']node:|["']node:[a-z_]+["']/.test(text) && 'a node: import',
    Buffer.byteLength(text) > 1024 * 1024 && `${Buffer.byteLength(text)} bytes, over 1 MiB`,
  ].filter(Boolean)
  if (problems.length > 0) {
    console.error(
      `build: ${outfile} cannot load as a hooks module: it has ${problems.join(', ')}. Keep the module's imports in the runtime-neutral core.`,
    )
    process.exit(1)
  }
}
