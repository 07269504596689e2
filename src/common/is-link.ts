/**
 * Whether a path in Switchboard's data folder is a symbolic link (Node only). Switchboard makes no links
 * there: one is planted (a model's Bash step can write the folder), and what Switchboard would write,
 * clear or break through it would land where it leads (docs/security.md).
 */
import { lstatSync } from 'node:fs'

export function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink()
  } catch {
    return false // nothing there
  }
}
