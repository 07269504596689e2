/** Name rules shared by the schemas. Messages carry the fix. */
import { z } from 'zod'
import { KEBAB_CASE, SLOT_NAME } from './name-rules.ts'

export { KEBAB_CASE } from './name-rules.ts'

export const SlotNameSchema = z
  .string()
  .regex(SLOT_NAME, 'slot names use ASCII letters, digits and "_" and do not start with a digit, e.g. "article_draft"')

/** Capability names: kebab-case like plugin names, so `seo-analysis@^1` reads naturally. */
export const CapabilityNameSchema = z.string().regex(KEBAB_CASE, 'capability names are kebab-case, e.g. "seo-analysis"')
