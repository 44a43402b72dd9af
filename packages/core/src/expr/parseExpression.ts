import type { BinaryOperator, ExprNode } from './syntaxTree.ts';
import { ExprSyntaxError, tokenize, type Token } from './tokenize.ts';

/** Words CEL reserves; using one as a name is an error rather than a confusing "unknown fact". */
const reserved = new Set([
  'as',
  'break',
  'const',
  'continue',
  'else',
  'for',
  'function',
  'if',
  'import',
  'let',
  'loop',
  'package',
  'namespace',
  'return',
  'var',
  'void',
  'while',
]);

/**
 * Nesting (parentheses, unary chains, operands of one operator chain) is capped so the recursive
 * parser and checker cannot overflow the stack; no real condition comes close.
 */
const maxDepth = 200;
export const maxExpressionLength = 10_000;

const relations: ReadonlySet<string> = new Set(['==', '!=', '<', '<=', '>', '>=', 'in']);

function describe(t: Token): string {
  if (t.kind === 'eof') return 'end of expression';
  if (t.kind === 'string') return `string '${t.value}'`;
  return `'${t.kind === 'punct' || t.kind === 'ident' ? t.value : String(t.value)}'`;
}

/**
 * CEL grammar (cel-spec/doc/langdef.md), subset:
 *   Expr = ConditionalOr ['?' ConditionalOr ':' Expr]
 *   ConditionalOr = ConditionalAnd {'||' ConditionalAnd}
 *   ConditionalAnd = Relation {'&&' Relation}
 *   Relation = Addition {Relop Addition}
 *   Addition = Multiplication {('+'|'-') Multiplication}
 *   Multiplication = Unary {('*'|'/'|'%') Unary}
 *   Unary = Member | '!' {'!'} Member | '-' {'-'} Member
 *   Member = Primary {'.' IDENT ['(' [ExprList] ')'] | '[' Expr ']'}
 *   Primary = IDENT ['(' [ExprList] ')'] | '(' Expr ')' | '[' [ExprList] [','] ']' | LITERAL
 * Throws ExprSyntaxError at the first error.
 */
export function parseExpression(src: string): ExprNode {
  if (src.length > maxExpressionLength) {
    throw new ExprSyntaxError({
      message: `expression is longer than ${maxExpressionLength} characters`,
      offset: 0,
    });
  }
  const tokens = tokenize(src);
  let pos = 0;
  let depth = 0;

  const peek = (): Token => tokens[pos] ?? (tokens[tokens.length - 1] as Token);
  const next = (): Token => {
    const t = peek();
    if (pos < tokens.length - 1) pos++;
    return t;
  };
  const isPunct = (value: string): boolean => {
    const t = peek();
    return t.kind === 'punct' && t.value === value;
  };
  const fail = (message: string, offset: number): never => {
    throw new ExprSyntaxError({ message, offset });
  };
  const expect = (value: string, context: string): Token => {
    const t = peek();
    if (t.kind === 'punct' && t.value === value) return next();
    return fail(`expected '${value}' ${context} but found ${describe(t)}`, t.start);
  };
  const enter = (offset: number) => {
    if (++depth > maxDepth) fail(`expression nests deeper than ${maxDepth} levels`, offset);
  };

  function expr(): ExprNode {
    enter(peek().start);
    const test = conditionalOr();
    let node = test;
    if (isPunct('?')) {
      next();
      const then = conditionalOr();
      expect(':', "in a conditional 'a ? b : c'");
      const otherwise = expr();
      node = { kind: 'conditional', start: test.start, test, then, otherwise };
    }
    depth--;
    return node;
  }

  function binaryChain(ops: ReadonlySet<string>, operand: () => ExprNode): ExprNode {
    let left = operand();
    const depthBefore = depth;
    for (;;) {
      const t = peek();
      const op = t.kind === 'punct' || (t.kind === 'ident' && t.value === 'in') ? t.value : null;
      if (op === null || !ops.has(op)) {
        depth = depthBefore;
        return left;
      }
      next();
      enter(t.start);
      const right = operand();
      left = {
        kind: 'binary',
        start: left.start,
        op: op as BinaryOperator,
        opStart: t.start,
        left,
        right,
      };
    }
  }

  const conditionalOr = (): ExprNode => binaryChain(new Set(['||']), conditionalAnd);
  const conditionalAnd = (): ExprNode => binaryChain(new Set(['&&']), relation);
  const relation = (): ExprNode => binaryChain(relations, addition);
  const addition = (): ExprNode => binaryChain(new Set(['+', '-']), multiplication);
  const multiplication = (): ExprNode => binaryChain(new Set(['*', '/', '%']), unary);

  function unary(): ExprNode {
    const t = peek();
    if (t.kind === 'punct' && (t.value === '!' || t.value === '-')) {
      next();
      enter(t.start);
      const operand = unary();
      depth--;
      // Fold '-5' into a literal so that the most negative values and constants stay constants.
      if (
        t.value === '-' &&
        operand.kind === 'literal' &&
        (operand.value.type === 'int' || operand.value.type === 'double')
      ) {
        return {
          kind: 'literal',
          start: t.start,
          value: { type: operand.value.type, value: -operand.value.value },
        };
      }
      return { kind: 'unary', start: t.start, op: t.value, operand };
    }
    return member();
  }

  function args(): ExprNode[] {
    const out: ExprNode[] = [];
    if (isPunct(')')) {
      next();
      return out;
    }
    for (;;) {
      out.push(expr());
      if (isPunct(',')) {
        next();
        continue;
      }
      expect(')', 'after the arguments');
      return out;
    }
  }

  function member(): ExprNode {
    let node = primary();
    for (;;) {
      if (isPunct('.')) {
        next();
        const f = next();
        if (f.kind !== 'ident')
          return fail(`expected a field name after '.' but found ${describe(f)}`, f.start);
        if (isPunct('(')) {
          next();
          node = { kind: 'call', start: node.start, target: node, name: f.value, args: args() };
        } else {
          node = {
            kind: 'select',
            start: node.start,
            operand: node,
            field: f.value,
            fieldStart: f.start,
          };
        }
      } else if (isPunct('[')) {
        next();
        const index = expr();
        expect(']', 'after the index');
        node = { kind: 'index', start: node.start, operand: node, index };
      } else {
        return node;
      }
    }
  }

  function primary(): ExprNode {
    const t = next();
    switch (t.kind) {
      case 'int':
      case 'double':
        return { kind: 'literal', start: t.start, value: { type: t.kind, value: t.value } };
      case 'string':
        return { kind: 'literal', start: t.start, value: { type: 'string', value: t.value } };
      case 'ident': {
        if (t.value === 'true' || t.value === 'false') {
          return {
            kind: 'literal',
            start: t.start,
            value: { type: 'bool', value: t.value === 'true' },
          };
        }
        if (t.value === 'null')
          return { kind: 'literal', start: t.start, value: { type: 'null', value: null } };
        if (t.value === 'in') return fail("unexpected 'in': expected a value before it", t.start);
        if (reserved.has(t.value)) return fail(`'${t.value}' is a reserved word`, t.start);
        if (isPunct('(')) {
          next();
          return { kind: 'call', start: t.start, target: null, name: t.value, args: args() };
        }
        return { kind: 'ident', start: t.start, name: t.value };
      }
      case 'punct': {
        if (t.value === '(') {
          const inner = expr();
          expect(')', 'to close the parenthesis');
          return inner;
        }
        if (t.value === '[') {
          const elements: ExprNode[] = [];
          while (!isPunct(']')) {
            elements.push(expr());
            if (isPunct(',')) next();
            else if (!isPunct(']'))
              return fail(
                `expected ',' or ']' in the list but found ${describe(peek())}`,
                peek().start,
              );
          }
          next();
          return { kind: 'list', start: t.start, elements };
        }
        return fail(`unexpected ${describe(t)}`, t.start);
      }
      case 'eof':
        return fail('unexpected end of expression', t.start);
    }
  }

  const root = expr();
  const rest = peek();
  if (rest.kind !== 'eof')
    fail(`unexpected ${describe(rest)} after the end of the expression`, rest.start);
  return root;
}
