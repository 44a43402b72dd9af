import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export type PathSegment = string | number;

export interface SourcePosition {
  line: number;
  column: number;
}

/** Finds where a value sits in the YAML source, so an error can name file:line:column. */
export interface YamlLocator {
  /**
   * Position of the value at `path`, or of its key when `at: 'key'`. A path that runs past what the
   * file has (a missing property) resolves to the deepest node that exists.
   */
  locate(path: readonly PathSegment[], at?: 'key' | 'value'): SourcePosition;
  /**
   * Position of a character offset inside the scalar at `path` (a condition's parse error), when the
   * scalar is on one line; otherwise the scalar's start (plus the expression's line for block text).
   */
  locateInScalar(path: readonly PathSegment[], offset: number, lineInText?: number): SourcePosition;
}

/** JSON pointer (`/sequences/remind/0/kind`) → segments, numbers for array indices. */
export function pointerToPath(pointer: string): PathSegment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}

/** Dotted display form used in issue paths: `sequences.remind[0].kind`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out === '' ? seg : `.${seg}`;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

interface Found {
  node: Node | null;
  keyNode: Node | null;
}

export function createYamlLocator(
  doc: Document,
  lineCounter: LineCounter,
  source = '',
): YamlLocator {
  const pos = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const start = (node: Node | null): number | null => node?.range?.[0] ?? null;

  const walk = (path: readonly PathSegment[]): { found: Found; complete: boolean } => {
    let found: Found = { node: (doc.contents as Node | null) ?? null, keyNode: null };
    for (const seg of path) {
      const node = found.node;
      let next: Found | null = null;
      if (isMap(node)) {
        for (const item of node.items) {
          if (isPair(item) && isScalar(item.key) && String(item.key.value) === String(seg)) {
            next = {
              node: (item.value as Node | null) ?? (item.key as Node),
              keyNode: item.key as Node,
            };
            break;
          }
        }
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg];
        if (item) next = { node: item as Node, keyNode: item as Node };
      }
      if (!next) return { found, complete: false };
      found = next;
    }
    return { found, complete: true };
  };

  return {
    locate(path, at = 'value') {
      const { found } = walk(path);
      const offset = (at === 'key' ? start(found.keyNode) : null) ?? start(found.node) ?? 0;
      return pos(offset);
    },
    locateInScalar(path, offset, lineInText = 1) {
      const { found, complete } = walk(path);
      const node = found.node;
      const at = start(node) ?? 0;
      if (!complete || !isScalar(node)) return pos(at);
      switch (node.type) {
        case 'PLAIN':
          return pos(at + offset);
        case 'QUOTE_DOUBLE':
        case 'QUOTE_SINGLE':
          return pos(at + 1 + offset);
        default: {
          // Block scalar: the text starts on the line after the indicator, indented.
          const line = pos(at).line + lineInText;
          const text = String(node.value);
          const inLine = offset - (text.slice(0, offset).lastIndexOf('\n') + 1);
          // The block's indentation is that of its first line; deeper lines keep their extra spaces.
          const lineStart = lineCounter.lineStarts[pos(at).line];
          const indent =
            lineStart === undefined ? 0 : (/^ */.exec(source.slice(lineStart))?.[0].length ?? 0);
          return { line, column: indent + 1 + inLine };
        }
      }
    },
  };
}
