/** How an invoke line is written: shared by the CLI's `plan`, the MCP tools and /switchboard:invoke's usage. */
export const INVOKE_USAGE =
  '<plugin:component | capability@range> [key=value | key=@file | key=$slot ...] [--into slot]'
