import type { PositionedMessage } from './syntaxTree.ts';

export type Token =
  | { kind: 'int' | 'double'; value: number; start: number; end: number }
  | { kind: 'string'; value: string; start: number; end: number }
  | { kind: 'ident'; value: string; start: number; end: number }
  | { kind: 'punct'; value: string; start: number; end: number }
  | { kind: 'eof'; value: ''; start: number; end: number };

const punctuators = [
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '<',
  '>',
  '!',
  '+',
  '-',
  '*',
  '/',
  '%',
  '?',
  ':',
  '.',
  ',',
  '(',
  ')',
  '[',
  ']',
];

const hints: Record<string, string> = {
  '=': "unexpected '=': compare with '=='",
  '&': "unexpected '&': use '&&'",
  '|': "unexpected '|': use '||'",
  '{': 'map literals are not supported in conditions',
};

const escapes: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '`': '`',
  '?': '?',
};

export class ExprSyntaxError extends Error {
  constructor(readonly issue: PositionedMessage) {
    super(issue.message);
  }
}

/** CEL lexical grammar, the subset conditions use: decimal/hex ints, doubles, quoted strings, `//` comments. */
export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (message: string, offset: number): never => {
    throw new ExprSyntaxError({ message, offset });
  };
  while (i < src.length) {
    const ch = src[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n') i++;
      continue;
    }
    const start = i;
    if (/[0-9]/.test(ch)) {
      const hex = /^0[xX][0-9a-fA-F]+/.exec(src.slice(i));
      const dec = /^\d+(\.\d+)?([eE][+-]?\d+)?/.exec(src.slice(i));
      const text = hex?.[0] ?? dec?.[0] ?? '';
      i += text.length;
      if (/^[uU]/.test(src[i] ?? '')) fail('unsigned integers are not supported', i);
      if (/^[A-Za-z_]/.test(src[i] ?? '')) fail(`invalid number '${text}${src[i]}'`, start);
      const isDouble = !hex && (dec?.[1] !== undefined || dec?.[2] !== undefined);
      const value = hex ? Number.parseInt(text, 16) : Number(text);
      if (isDouble && !Number.isFinite(value)) fail(`number ${text} is out of range`, start);
      if (!isDouble && !Number.isSafeInteger(value)) {
        fail(`integer literal ${text} is out of range (±${Number.MAX_SAFE_INTEGER})`, start);
      }
      tokens.push({ kind: isDouble ? 'double' : 'int', value, start, end: i });
      continue;
    }
    if (ch === '"' || ch === "'") {
      if (src.startsWith(ch.repeat(3), i)) fail('triple-quoted strings are not supported', i);
      i++;
      let value = '';
      for (;;) {
        const c = src[i];
        if (c === undefined || c === '\n') fail('unterminated string literal', start);
        if (c === ch) break;
        if (c === '\\') {
          const e = src[i + 1] ?? '';
          if (e === 'u') {
            const hex = src.slice(i + 2, i + 6);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('invalid \\u escape: expected 4 hex digits', i);
            value += String.fromCharCode(Number.parseInt(hex, 16));
            i += 6;
            continue;
          }
          const decoded = escapes[e];
          if (decoded === undefined) fail(`invalid escape '\\${e}' in string`, i);
          value += decoded;
          i += 2;
          continue;
        }
        value += c;
        i++;
      }
      i++;
      tokens.push({ kind: 'string', value, start, end: i });
      continue;
    }
    if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
      const name = m?.[0] ?? ch;
      i += name.length;
      if (/^[rRbB]$/.test(name) && (src[i] === '"' || src[i] === "'")) {
        fail('raw and bytes strings are not supported', start);
      }
      tokens.push({ kind: 'ident', value: name, start, end: i });
      continue;
    }
    const p = punctuators.find((op) => src.startsWith(op, i));
    if (p) {
      i += p.length;
      tokens.push({ kind: 'punct', value: p, start, end: i });
      continue;
    }
    fail(hints[ch] ?? `unexpected character '${ch}'`, i);
  }
  tokens.push({ kind: 'eof', value: '', start: src.length, end: src.length });
  return tokens;
}
