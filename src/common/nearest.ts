/** The closest of `names` to `word` within two edits (Levenshtein, any case), for "did you mean". */
export function nearest(word: string, names: readonly string[]): string | undefined {
  const scored = names
    .map((name) => ({ name, d: distance(word.toLowerCase(), name.toLowerCase()) }))
    .sort((a, b) => a.d - b.d)
  return scored[0] && scored[0].d <= 2 ? scored[0].name : undefined
}

// --- internal ---

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1))
      previous = current
    }
  }
  return row[b.length]!
}
