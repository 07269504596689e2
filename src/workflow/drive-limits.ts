/**
 * The bounds of one drive_workflow start: the MCP server's tool schema refuses more (a run keeps its
 * inputs, so a direct call cannot make the server hold much), and the hooks module sends no more
 * (module/workflow-run.ts: a receipt past them is left out, and its step is called again).
 */
export const DRIVE_LIMITS = { inputs: 100, receipts: 500, valueLength: 1_000_000 } as const
