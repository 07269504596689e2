/**
 * The name rules, once: what a slot, a plugin-style name and a capability reference may spell. Pure
 * (no zod, no Node), so the schemas (names.ts), the reference parser, the guard and the hooks module
 * all match with the same patterns.
 */

export const KEBAB_CASE = /^[a-z0-9]+(-[a-z0-9]+)*$/

/** A slot name inside a larger pattern: letters, digits, `_`, not starting with a digit. */
export const SLOT_NAME_PART = '[A-Za-z_][A-Za-z0-9_]*'

/** Context slot names are what `$slot` references can spell. */
export const SLOT_NAME = new RegExp(`^${SLOT_NAME_PART}$`)

/** `name@version` or `name@range`: a kebab-case capability and what follows the `@`. */
export const CAPABILITY_AT = /^([a-z0-9]+(?:-[a-z0-9]+)*)@(.+)$/
