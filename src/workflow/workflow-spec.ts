/**
 * How a workflow is named where a person or a model names one (`workflow check <spec>`, `/switchboard:run`,
 * the invoke tool's `workflow`): a path to a file, or `plugin:workflow` for a plugin's own. One rule for the
 * CLI and both runtimes: the CLI once took `x:y.json` for a plugin's workflow that the runtimes read as a file
 * (found by a docs review).
 */

/** Whether `spec` is a file's path: it holds a slash, ends in `.yaml`, `.yml` or `.json`, or has no `:`. */
export function isWorkflowPath(spec: string): boolean {
  return /[/\\]/.test(spec) || /\.(ya?ml|json)$/.test(spec) || !spec.includes(':')
}
