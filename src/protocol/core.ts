// The runtime-neutral door the hooks module imports: the envelope and reading returns. The hook
// input schemas (zod) are index.ts's, for the settings hooks: the module gets its events typed.
export { buildEnvelope, ENVELOPE_BUDGET, pointer, valueFileName } from './envelope.ts'
export { extractJson, responseText } from './returns.ts'
