export const meta = {
  name: "copy-edit-article",
  description: "Draft a technical article, then have it copy-edited.",
  whenToUse: "Pass the inputs in the tool's args: topic (string), notes (markdown, optional). Compiled by Switchboard from its workflow copy-edit-article.",
  phases: [{ title: "draft" }, { title: "copy_edit" }],
}
// Compiled by `switchboard workflow compile` for Claude Code's Workflow tool. Switchboard's hooks module guards and
// traces its agents (Claude Code 2.1.331 and later); 2.1.197 runs it too, but no settings hook sees those agents.
// Compile again after changing the workflow; PLAN is data, the code below it is the same for every workflow.
const PLAN = {
  "name": "copy-edit-article",
  "source": "examples/tdd-tech/workflows/copy-edit-article.yaml",
  "budget": {"calls":4,"timeMs":900000},
  "inputs": [
    ["topic",{"type":"string","optional":false}],
    ["notes",{"type":"markdown","optional":true}]
  ],
  "waves": [
    {"id":"draft","maxParallel":1, "steps": [
      {"id":"draft","phase":"draft","when":[],"call":{"target":"tdd-tech:tech-writer","kind":"agent","agentType":"tdd-tech:tech-writer","args":[["topic",[{"input":"topic"}]],["notes",[{"input":"notes"}]],["copy_edit",["no"]]],"into":"article_draft","returns":{"json":false}},"retries":0,"backoffMs":0,"then":"stop","budget":{"timeMs":480000}}
    ]},
    {"id":"copy_edit","maxParallel":1, "steps": [
      {"id":"copy_edit","phase":"copy_edit","when":[],"call":{"target":"tdd-editor:editor","kind":"agent","agentType":"tdd-editor:editor","args":[["draft",[{"slot":"article_draft"}]],["style",["concise"]],["illustrate",["no"]]],"into":"edited_article","returns":{"json":false}},"retries":1,"backoffMs":0,"then":"stop","budget":{"calls":2,"timeMs":360000}}
    ]}
  ],
  "outputs": [
    ["article",{"slot":"edited_article"}]
  ]
}
const TICK = String.fromCharCode(96)
const TIMEOUT = Symbol('timeout')
const DENIED = 'Workflow agent spawn denied by a plugin'
const MATCH_LIMIT = 10000
const timers = []
const slots = new Map()
const results = []
let calls = 0
let stopped = null

// A delay past 2^31 - 1 ms (about 24.8 days) would fire at once (found by review): such a budget waits that long.
function timer(ms) {
  return new Promise((resolve) => { timers.push(setTimeout(() => resolve(TIMEOUT), Math.min(ms, 2147483647))) })
}
let timeUp = false
const deadline = PLAN.budget.timeMs === undefined ? null : timer(PLAN.budget.timeMs)
if (deadline) deadline.then(() => { timeUp = true })

function stop(status, reason) {
  if (!stopped) stopped = { status, reason }
  log(PLAN.name + ': ' + reason)
}

// --- inputs: the tool's args, checked as workflow plan checks name=value words ---

function readInputs() {
  const given = args === undefined || args === null ? {} : args
  if (typeof given !== 'object' || Array.isArray(given)) return { problems: ['args must be an object of input values, e.g. {"' + (PLAN.inputs[0] ? PLAN.inputs[0][0] : 'name') + '": "..."}'], values: new Map() }
  const declared = new Map(PLAN.inputs)
  const problems = []
  const values = new Map()
  for (const name of Object.keys(given)) {
    if (!declared.has(name)) problems.push('there is no input "' + name + '". Inputs: ' + (PLAN.inputs.map((i) => i[0] + (i[1].optional ? '?' : '')).join(', ') || 'none') + '.')
    else if (declared.get(name).fixed !== undefined) problems.push('input "' + name + '" is fixed in this compiled script; compile it again without ' + name + '=... to pass it in args.')
  }
  for (const [name, input] of PLAN.inputs) {
    let value = input.fixed !== undefined ? input.fixed : Object.hasOwn(given, name) ? given[name] : input.default
    if (value === undefined || value === null) {
      if (!input.optional) problems.push('input "' + name + '" (' + input.type + ') is required. Pass it in the Workflow tool\'s args: {"' + name + '": "..."}.')
      continue
    }
    if (typeof value !== 'string') value = typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value)
    const wrong = typeProblem(input.type, value)
    if (wrong) problems.push('input "' + name + '": ' + wrong)
    values.set(name, value)
  }
  return { problems, values }
}

function typeProblem(type, value) {
  const shown = JSON.stringify(value.slice(0, 40))
  if (type.includes('|') && !type.endsWith('[]')) return type.split('|').includes(value) ? undefined : shown + ' is not one of ' + type.split('|').join(', ') + '.'
  if (type === 'integer') return /^-?\d+$/.test(value) ? undefined : shown + ' is not a whole number.'
  if (type === 'number') return value.trim() !== '' && Number.isFinite(Number(value)) ? undefined : shown + ' is not a number.'
  if (type === 'boolean') return value === 'true' || value === 'false' ? undefined : shown + ' is not true or false.'
  if (type === 'object' || type === 'json' || type.endsWith('[]')) {
    let parsed
    try { parsed = JSON.parse(value) } catch { return shown + ' is not JSON.' }
    if (type === 'object' && (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))) return shown + ' is not a JSON object.'
    if (type.endsWith('[]') && !Array.isArray(parsed)) return 'a list is written as JSON, e.g. ["a","b"].'
  }
  return undefined
}

// --- prompts: the call's text with its values as data ---

function fenced(value) {
  const longest = Math.max(0, ...(value.match(/\x60+/g) || []).map((run) => run.length))
  const fence = TICK.repeat(Math.max(3, longest + 1))
  return fence + '\n' + value + '\n' + fence
}

// One short line with nothing the guard or Markdown reads ($, backticks, ~, brackets, control characters,
// line separators) stays inline. By char code: 2.1.197 reads a backslash-u-2028 escape in a script as a
// real line separator, which ends a regular expression literal (docs/claude-code-notes.md "Workflows").
function inline(value) {
  if (value.length > 200) return false
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i)
    if (code < 32 || code === 127 || code === 8232 || code === 8233 || '$~[]'.includes(value[i]) || value[i] === TICK) return false
  }
  return true
}

function valueOf(ref, inputs) {
  if (ref.input !== undefined) return inputs.get(ref.input)
  const slot = slots.get(ref.slot)
  return slot === undefined ? undefined : slot.text
}

function fill(segments, inputs, where) {
  let text = ''
  for (const part of segments) {
    if (typeof part === 'string') { text += part; continue }
    const value = valueOf(part, inputs)
    if (value === undefined && part.slot !== undefined) return { error: where + ': $' + part.slot + ' is not set (the step that writes it was skipped or failed)' }
    const shown = value === undefined ? '' : value
    text += inline(shown) ? shown : '\n' + fenced(shown) + '\n'
  }
  return { text: text.endsWith('\n') ? text.slice(0, -1) : text }
}

function render(call, inputs) {
  const lines = []
  if (call.prompt) {
    const prompt = fill(call.prompt, inputs, 'prompt')
    if (prompt.error) return prompt
    lines.push(prompt.text)
  }
  for (const [key, segments] of call.args) {
    const sole = segments.length === 1 && typeof segments[0] === 'object' ? segments[0] : null
    if (sole && valueOf(sole, inputs) === undefined) continue // an optional input not given, or a slot left unset: left out
    const value = fill(segments, inputs, 'args.' + key)
    if (value.error) return value
    // A value whose first line opens quoted material starts on a line of its own, as the planner writes it
    // (QUOTE_OPENER in context/references.ts): after "key: " a fence would not open (found by review).
    const ownLine = /^[ \t]*(\x60\x60\x60|~~~|>)/.test(value.text)
    lines.push(key + ':' + (value.text.startsWith('\n') ? '' : ownLine ? '\n' : ' ') + value.text)
  }
  if (lines.length === 0) lines.push('Run ' + call.target + '.')
  if (call.into) lines.push('[[switchboard into=' + call.into + ']]')
  return { text: lines.join('\n') }
}

// A command or skill: the Workflow tool cannot call the Skill tool, so an agent makes the call (the guard checks it there).
function skillPrompt(call, text) {
  return 'Call the Skill tool once, with skill "' + call.target + '" and as args exactly the text between the two fence lines below (without the fence lines). ' +
    'Then give the skill\'s result as your final answer, and nothing else. Do not do the work without calling the skill.\n\n' + fenced(text)
}

// --- returns: read as the target's output contract says (the module checks the whole contract and traces it) ---

function extractJson(text) {
  for (const attempt of [text.trim(), fencedBlock(text), balanced(text)]) {
    if (attempt === undefined) continue
    try { return { ok: true, value: JSON.parse(attempt) } } catch { }
  }
  return { ok: false }
}

// The first fenced block's body, found without backtracking (as protocol/returns.ts does).
function fencedBlock(text) {
  const fence = '\x60\x60\x60'
  const opener = /(?:json)?\s*\n/y
  for (let open = text.indexOf(fence); open >= 0; open = text.indexOf(fence, open + 1)) {
    opener.lastIndex = open + 3
    if (!opener.exec(text)) continue
    const close = text.indexOf('\n' + fence, opener.lastIndex)
    return close < 0 ? undefined : text.slice(opener.lastIndex, close)
  }
  return undefined
}

function balanced(text) {
  const start = text.search(/[{\[]/)
  if (start < 0) return undefined
  const open = text[start]
  const close = open === '{' ? '}' : ']'
  let depth = 0
  let quoted = false
  for (let i = start; i < text.length; i++) {
    const ch = text[i]
    if (quoted) { if (ch === '\\') i++; else if (ch === '"') quoted = false }
    else if (ch === '"') quoted = true
    else if (ch === open) depth++
    else if (ch === close && --depth === 0) return text.slice(start, i + 1)
  }
  return undefined
}

function readReturn(call, text) {
  if (text === null || text === undefined) return { error: 'the agent returned nothing (it was skipped, or it died on an API error)' }
  if (!call.returns.json) return { value: text, text }
  const found = extractJson(String(text))
  if (!found.ok) return { error: 'its return should be JSON (its output contract), and no JSON value was found in it' }
  const missing = call.returns.required.filter((key) => found.value === null || typeof found.value !== 'object' || !Object.hasOwn(found.value, key))
  if (missing.length > 0) return { error: 'its return lacks ' + missing.join(', ') + ' (its output contract)' }
  return { value: found.value, text: JSON.stringify(found.value) }
}

// --- conditions: as the core's conditionHolds ---

function holds(condition, inputs) {
  const subject = condition.input !== undefined ? inputs.get(condition.input) : slots.has(condition.slot) ? slots.get(condition.slot).value : undefined
  const value = condition.field === undefined ? subject : fieldOf(subject, condition.field)
  if (condition.exists !== undefined) return (value !== undefined && value !== null) === condition.exists
  if (value === undefined) return condition.not_equals !== undefined
  if (condition.equals !== undefined) return same(value, condition.equals)
  if (condition.not_equals !== undefined) return !same(value, condition.not_equals)
  if (condition.matches !== undefined) return new RegExp(condition.matches, 'u').test(textOf(value).slice(0, MATCH_LIMIT))
  return false
}

function fieldOf(value, path) {
  let node = value
  if (typeof node === 'string') { try { node = JSON.parse(node) } catch { return undefined } }
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined
    node = node[key]
  }
  return node
}

function same(value, expected) {
  if (typeof expected !== 'string' && typeof value === typeof expected) return value === expected
  return textOf(value).trim() === String(expected)
}

function textOf(value) {
  return typeof value === 'string' ? value : JSON.stringify(value) || ''
}

// --- steps: budgets, retries with backoff, the fallback, then stop or continue ---

function budgetLeft(step, used) {
  if (timeUp) return 'the workflow\'s time budget is spent'
  if (PLAN.budget.calls !== undefined && calls >= PLAN.budget.calls) return 'the workflow\'s budget of ' + PLAN.budget.calls + ' calls is spent'
  if (step.budget.calls !== undefined && used >= step.budget.calls) return 'step ' + step.id + '\'s budget of ' + step.budget.calls + ' calls is spent'
  return undefined
}

async function attempt(step, call, label, inputs, stepTimer) {
  const rendered = render(call, inputs)
  if (rendered.error) return { error: rendered.error, final: true }
  calls++
  const opts = { label, phase: step.phase, agentType: call.agentType }
  const started = agent(call.kind === 'agent' ? rendered.text : skillPrompt(call, rendered.text), opts)
  started.catch(() => {}) // a call the script stopped waiting for must not reject unheard
  let text
  try {
    text = await Promise.race([started, ...(stepTimer ? [stepTimer] : []), ...(deadline ? [deadline] : [])])
  } catch (thrown) {
    const message = String(thrown && thrown.message !== undefined ? thrown.message : thrown)
    // A refusal (the guard's, or an agent type Claude Code does not have) would be refused again: not retried.
    return { error: message, final: message.startsWith(DENIED) || message.startsWith('agent({agentType})') }
  }
  if (text === TIMEOUT) return { budget: deadline && timeUp ? 'the workflow\'s time budget is spent' : 'step ' + step.id + '\'s time budget is spent' }
  return readReturn(call, text)
}

async function runStep(step, inputs) {
  const result = { status: 'not_run', target: step.call.target, attempts: 0 }
  results.push([step.id, result])
  if (stopped) return
  if (!step.when.every((condition) => holds(condition, inputs))) {
    result.status = 'skipped'
    return
  }
  const stepTimer = step.budget.timeMs === undefined ? null : timer(step.budget.timeMs)
  const tries = [...Array.from({ length: step.retries + 1 }, (_, i) => ({ call: step.call, retry: i })), ...(step.fallback ? [{ call: step.fallback, fallback: true }] : [])]
  let error = { message: 'it did not run' }
  for (const planned of tries) {
    if (planned.retry > 0 && error.final) continue
    if (stopped && result.attempts > 0) break // another step stopped the run: no more tries
    if (planned.retry > 0 && step.backoffMs > 0) {
      const waited = await Promise.race([new Promise((resolve) => { timers.push(setTimeout(resolve, step.backoffMs * 2 ** (planned.retry - 1))) }), ...(stepTimer ? [stepTimer] : []), ...(deadline ? [deadline] : [])])
      if (waited === TIMEOUT) { error = { budget: timeUp ? 'the workflow\'s time budget is spent' : 'step ' + step.id + '\'s time budget is spent' }; break }
    }
    const spent = budgetLeft(step, result.attempts)
    if (spent) { error = { budget: spent }; break }
    result.attempts++
    const label = step.id + (planned.fallback ? ' (fallback)' : planned.retry > 0 ? ' (retry ' + planned.retry + ')' : '')
    const outcome = await attempt(step, planned.call, label, inputs, stepTimer)
    if (outcome.budget) { error = outcome; break }
    if (outcome.error === undefined) {
      if (planned.call.into) slots.set(planned.call.into, { value: outcome.value, text: outcome.text })
      result.status = 'ok'
      if (planned.fallback) result.target = planned.call.target
      return
    }
    error = { message: planned.call.target + ': ' + outcome.error, final: outcome.final }
    log(PLAN.name + ': step ' + step.id + ' failed: ' + error.message)
  }
  if (error.budget) {
    result.status = 'budget_exhausted'
    result.error = error.budget
    stop('budget_exhausted', error.budget + '; nothing more runs.')
    return
  }
  result.status = 'failed'
  result.error = error.message
  if (step.then === 'stop') stop('failed', 'step ' + step.id + ' failed, so the workflow stops: ' + error.message)
}

async function runWave(wave, inputs) {
  let next = 0
  const lane = async () => {
    while (next < wave.steps.length) {
      const step = wave.steps[next++]
      try { await runStep(step, inputs) } catch (thrown) { stop('failed', 'step ' + step.id + ': ' + String(thrown && thrown.message || thrown)) }
    }
  }
  await Promise.all(Array.from({ length: Math.min(wave.maxParallel, wave.steps.length) }, lane))
}

const given = readInputs()
const inputs = given.values
if (given.problems.length > 0) stop('failed', 'the inputs are wrong, so nothing ran: ' + given.problems.join(' '))
for (const wave of PLAN.waves) {
  if (stopped) { for (const step of wave.steps) results.push([step.id, { status: 'not_run', target: step.call.target, attempts: 0 }]); continue }
  await runWave(wave, inputs)
}
for (const id of timers) clearTimeout(id)
const outputs = Object.fromEntries(PLAN.outputs.flatMap(([name, ref]) => {
  const value = ref.input !== undefined ? inputs.get(ref.input) : slots.has(ref.slot) ? slots.get(ref.slot).value : undefined
  return value === undefined ? [] : [[name, value]]
}))
return { workflow: PLAN.name, status: stopped ? stopped.status : 'ok', ...(stopped ? { reason: stopped.reason } : {}), outputs, steps: Object.fromEntries(results), calls }
