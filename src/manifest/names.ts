/** Name rules shared by the schemas. Messages carry the fix. */
import { z } from 'zod'

export const KEBAB_CASE = /^[a-z0-9]+(-[a-z0-9]+)*$/

/** Context slot names are what `$slot` references can spell: letters, digits, `_`, not starting with a digit. */
export const SLOT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

export const SlotNameSchema = z
  .string()
  .regex(SLOT_NAME, 'slot names use letters, digits and "_" and do not start with a digit, e.g. "article_draft"')

/** Capability names: kebab-case like plugin names, so `seo-analysis@^1` reads naturally. */
export const CapabilityNameSchema = z.string().regex(KEBAB_CASE, 'capability names are kebab-case, e.g. "seo-analysis"')
