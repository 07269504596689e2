/**
 * Receipts: what a completed step leaves behind so that running the workflow again redoes nothing
 * that is still valid. A receipt is keyed by everything that decides what the step would do now:
 * the step id, the resolved target and its version (from the registry snapshot; the fallback's too,
 * when the step has one), and the SHA-256 of its filled call (arguments and prompt with the inputs
 * filled in, plus the value of every slot it reads). A step whose key is unchanged is not run
 * again; its value comes back from the receipt. Any change (an input, an upstream result, a
 * plugin's version, a capability routed elsewhere) changes the key, and the step runs.
 *
 * Runtime-neutral: the runtime stores one receipt per step (one file each, so steps of a parallel
 * wave finishing in any order never rewrite each other's) and writes it only after the step's result
 * is stored; a receipt that does not parse, or whose key differs, is no receipt.
 */

import { sha256Hex } from '../common/core.ts'

export const RECEIPT_VERSION = 1

/** Everything that decides what a step would do; two equal keys mean the same call. */
export interface ReceiptKey {
  step: string
  /** The resolved component id (a capability request routed to its provider). */
  target: string
  /** Its plugin's version in the registry snapshot, or null when the plugin declares none. */
  version: string | null
  /**
   * Why the main target could not be called when the fallback made the value (refused or not found):
   * the receipt stands while that holds, and the main runs again once it may (the key then differs).
   */
  refused?: string
  /** The fallback's target and version, when the step has one: a change there changes the step. */
  fallback?: { target: string; version: string | null }
  /** SHA-256 (hex) of the filled call(s) and the values of the slots they read. */
  inputs: string
}

export interface Receipt {
  version: typeof RECEIPT_VERSION
  key: ReceiptKey
  /** The step's value (the parsed JSON of a JSON contract, else the text). */
  value: unknown
  /** The slot it was stored in, restored when the step is skipped. */
  into?: string
  /** The component that produced it (the fallback's, when the fallback did). */
  producedBy: string
  /** The run that wrote it, and when (ms since the epoch). */
  run: string
  at: number
}

/** The hash of what a step sends: canonical JSON, so key order never changes it. */
export function inputsHash(value: unknown): string {
  return sha256Hex(canonicalJson(value))
}

export function sameKey(a: ReceiptKey, b: ReceiptKey): boolean {
  return canonicalJson(a) === canonicalJson(b)
}

/** A receipt from stored text; undefined when it is torn, foreign or of another format. */
export function parseReceipt(text: string | undefined, step: string): Receipt | undefined {
  if (!text) return undefined
  try {
    const receipt = JSON.parse(text) as Receipt
    if (
      receipt?.version !== RECEIPT_VERSION ||
      receipt.key?.step !== step ||
      typeof receipt.key.inputs !== 'string' ||
      typeof receipt.key.target !== 'string'
    )
      return undefined
    return receipt
  } catch {
    return undefined
  }
}

/** The file a step's receipt is stored in: the step id is letters, digits, `_` and `-` (parse.ts). */
export function receiptFileName(step: string): string {
  return `${step.replace(/[^A-Za-z0-9_-]/g, '_')}.json`
}

/**
 * Where a workflow's receipts live: per project (its real path) under the data folder, then per
 * workflow (`workflowKey`), so a new session in the same project resumes, in either runtime.
 */
export function receiptsFolder(dataDir: string, projectRealPath: string, key: string): string {
  return `${dataDir}/workflow-runs/${(projectRealPath.split('/').pop() || 'root').replace(/[^A-Za-z0-9_-]/g, '_')}-${sha256Hex(projectRealPath).slice(0, 12)}/${key}`
}

/**
 * The folders a receipts folder (receiptsFolder) is made of below the data folder, outermost first. Switchboard
 * makes no link there, and reads and writes receipts only where none is a link: a model's Bash step can write the
 * data folder, and one planted at any of them had receipts written where it led, and forged ones read (found by
 * review).
 */
export function receiptsFolderChain(folder: string): string[] {
  const project = folder.slice(0, folder.lastIndexOf('/'))
  return [project.slice(0, project.lastIndexOf('/')), project, folder]
}

/** Why a run does not start, or a receipt is not written, where a part of its folder (receiptsFolderChain) is a link. */
export function receiptsFolderLinked(link: string): string {
  return `${link} is a link, and Switchboard keeps a workflow's receipts only in folders of its own. Remove the link, then run the workflow again.`
}

/**
 * Names a workflow in the receipts folder: `plugin-<plugin>.<name>-<hash>`, or `file-<hash of its
 * real path>`. The dot cannot appear in either part once it is made safe for a folder name, so
 * plugin `acme-docs`'s `publish` and plugin `acme`'s `docs-publish` never share receipts; the hash
 * of the exact pair keeps two names that differ only in unsafe characters apart too.
 */
export function workflowKey(source: { plugin: string; name: string } | { file: string }): string {
  if (!('plugin' in source)) return `file-${sha256Hex(source.file).slice(0, 16)}`
  const safe = (part: string) => part.replace(/[^A-Za-z0-9_-]/g, '_')
  return `plugin-${safe(source.plugin)}.${safe(source.name)}-${sha256Hex(`${source.plugin}\0${source.name}`).slice(0, 8)}`
}

/** JSON with object keys sorted, at every depth. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'null'
}

// --- internal ---

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  )
}
