import { describe, expect, it } from 'vitest'
import { duplicateJsonKeys } from '../../src/common/json-duplicate-keys.ts'

describe('duplicateJsonKeys', () => {
  it('finds a key given twice in one object, with the path of that object', () => {
    expect(duplicateJsonKeys('{"a": 1, "b": {"c": [1, {"d": 1, "d": 2}], "c": 3}, "a": 2}')).toEqual([
      { path: 'b.c.1', key: 'd' },
      { path: 'b', key: 'c' },
      { path: '', key: 'a' },
    ])
  })

  it('reads keys as JSON does (escapes), and nothing inside strings as structure', () => {
    expect(duplicateJsonKeys('{"rules": [], "rul\\u0065s": []}')).toEqual([{ path: '', key: 'rules' }])
    expect(duplicateJsonKeys('{"a": "{\\"a\\": 1, \\"a\\": 2}", "b": "x,\\"b\\":", "c": ["a", "a"]}')).toEqual([])
    // The same key in sibling objects, or at two levels, is no repeat.
    expect(duplicateJsonKeys('[{"a": 1}, {"a": 2}, {"x": {"a": 1}, "a": 3}]')).toEqual([])
    expect(duplicateJsonKeys('"just a string"')).toEqual([])
  })
})
