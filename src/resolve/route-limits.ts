/**
 * The bounds of one route_capabilities call: the MCP server's tool schema refuses more (so a direct
 * call cannot keep it routing for long), and the hooks module sends no more (module/capability-routes.ts).
 */
export const ROUTE_LIMITS = { requests: 64, requestLength: 200, providers: 2000, offers: 32 } as const
