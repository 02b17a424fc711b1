/**
 * `pythonJsonDumps(value)`: JSON text exactly as Python's `json.dumps(value)`
 * writes it with its defaults (`", "` and `": "` separators, non-ASCII
 * escaped as `\uXXXX`, Python's float notation). The reference replays client
 * tool call arguments and outputs to the model this way, so the model sees
 * the same input from either runtime.
 *
 * One thing cannot match: a float with no fractional part (`1.0`) is a plain
 * number once parsed in JavaScript and is written as `1`.
 */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return pythonNumber(value);
    case 'bigint':
      return value.toString();
    case 'string':
      return pythonString(value);
    case 'object': {
      const withToJSON = value as { toJSON?: () => unknown };
      if (typeof withToJSON.toJSON === 'function') return pythonJsonDumps(withToJSON.toJSON());
      if (Array.isArray(value)) return `[${value.map((entry) => pythonJsonDumps(entry ?? null)).join(', ')}]`;
      const entries = Object.entries(value).filter(([, entry]) => entry !== undefined && typeof entry !== 'function');
      return `{${entries.map(([key, entry]) => `${pythonString(key)}: ${pythonJsonDumps(entry)}`).join(', ')}}`;
    }
    default:
      return 'null';
  }
}

function pythonNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (Number.isInteger(value) && Math.abs(value) < 1e21) return BigInt(value).toString();
  // Python's repr: the shortest round-trip digits (as JavaScript), in exponent
  // form below 1e-4 or from 1e16, with at least two exponent digits.
  const [mantissa, exponentText] = value.toExponential().split('e') as [string, string];
  const exponent = Number(exponentText);
  if (exponent >= -4 && exponent < 16) return String(value);
  const sign = exponent < 0 ? '-' : '+';
  return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

const escapes: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

function pythonString(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    const code = text.charCodeAt(i);
    if (escapes[char]) out += escapes[char];
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += char;
  }
  return out + '"';
}
