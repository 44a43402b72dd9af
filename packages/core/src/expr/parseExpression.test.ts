import { describe, expect, it } from 'vitest';
import { parseExpression } from './parseExpression.ts';
import type { ExprNode } from './syntaxTree.ts';
import { ExprSyntaxError } from './tokenize.ts';

/** A compact s-expression of the tree, to assert structure and precedence. */
function show(n: ExprNode): string {
  switch (n.kind) {
    case 'literal':
      return n.value.type === 'string'
        ? JSON.stringify(n.value.value)
        : `${n.value.value}:${n.value.type}`;
    case 'ident':
      return n.name;
    case 'select':
      return `${show(n.operand)}.${n.field}`;
    case 'index':
      return `${show(n.operand)}[${show(n.index)}]`;
    case 'call':
      return `${n.target ? `${show(n.target)}.` : ''}${n.name}(${n.args.map(show).join(', ')})`;
    case 'unary':
      return `(${n.op}${show(n.operand)})`;
    case 'binary':
      return `(${show(n.left)} ${n.op} ${show(n.right)})`;
    case 'conditional':
      return `(${show(n.test)} ? ${show(n.then)} : ${show(n.otherwise)})`;
    case 'list':
      return `[${n.elements.map(show).join(', ')}]`;
  }
}

const parsed = (src: string) => show(parseExpression(src));

function syntaxError(src: string): { message: string; offset: number } {
  try {
    parseExpression(src);
  } catch (e) {
    if (e instanceof ExprSyntaxError) return e.issue;
    throw e;
  }
  throw new Error(`expected a syntax error for ${src}`);
}

describe('parseExpression: CEL precedence', () => {
  it('binds && tighter than || and relations tighter than &&', () => {
    expect(parsed('a || b && c')).toBe('(a || (b && c))');
    expect(parsed('x.a >= 1 && x.b < 2 || c')).toBe('(((x.a >= 1:int) && (x.b < 2:int)) || c)');
  });

  it('binds * / % tighter than + -, left-associative', () => {
    expect(parsed('1 + 2 * 3 - 4 / 5 % 6')).toBe(
      '((1:int + (2:int * 3:int)) - ((4:int / 5:int) % 6:int))',
    );
    expect(parsed('a - b - c')).toBe('((a - b) - c)');
  });

  it('parses the ternary right-associatively with the lowest precedence', () => {
    expect(parsed('a ? b : c ? d : e')).toBe('(a ? b : (c ? d : e))');
    expect(parsed('a || b ? 1 : 2')).toBe('((a || b) ? 1:int : 2:int)');
  });

  it('parses in as a relation', () => {
    expect(parsed("bp.class in ['grade-2', 'grade-3'] && x")).toBe(
      '((bp.class in ["grade-2", "grade-3"]) && x)',
    );
  });

  it('parses unary operators, folding negative number literals', () => {
    expect(parsed('!!a')).toBe('(!(!a))');
    expect(parsed('-5')).toBe('-5:int');
    expect(parsed('-2.5e1')).toBe('-25:double');
    expect(parsed('-x.y')).toBe('(-x.y)');
    expect(parsed('1 - -1')).toBe('(1:int - -1:int)');
  });

  it('parses selection, indexing, functions, methods and trailing commas', () => {
    expect(parsed('has(tag.pregnancy)')).toBe('has(tag.pregnancy)');
    expect(parsed("member.gender.startsWith('f')")).toBe('member.gender.startsWith("f")');
    expect(parsed('a.b[0].c')).toBe('a.b[0:int].c');
    expect(parsed('[1, 2,]')).toBe('[1:int, 2:int]');
    expect(parsed('size()')).toBe('size()');
  });

  it('reads literals: ints, hex, doubles, strings with escapes, bools, null', () => {
    expect(parsed('0x1F')).toBe('31:int');
    expect(parsed('1.5')).toBe('1.5:double');
    expect(parsed('1e3')).toBe('1000:double');
    expect(parsed(String.raw`'it\'s \u4f60\n'`)).toBe(JSON.stringify("it's 你\n"));
    expect(parsed('"双引号"')).toBe('"双引号"');
    expect(parsed('true && false')).toBe('(true:bool && false:bool)');
    expect(parsed('null')).toBe('null:null');
  });

  it('skips whitespace, newlines and // comments', () => {
    expect(parsed('a // first\n  && b')).toBe('(a && b)');
  });
});

describe('parseExpression: syntax errors with offsets', () => {
  it('reports an unexpected end', () => {
    expect(syntaxError('(1 +')).toEqual({ message: 'unexpected end of expression', offset: 4 });
  });

  it('reports a missing closing parenthesis', () => {
    expect(syntaxError('(a && b')).toEqual({
      message: "expected ')' to close the parenthesis but found end of expression",
      offset: 7,
    });
  });

  it('hints at == and && for single = and &', () => {
    expect(syntaxError('stage = "treatment"')).toEqual({
      message: "unexpected '=': compare with '=='",
      offset: 6,
    });
    expect(syntaxError('a & b').message).toBe("unexpected '&': use '&&'");
  });

  it('rejects unterminated strings, bad escapes, stray characters and trailing tokens', () => {
    expect(syntaxError("x == 'abc")).toEqual({ message: 'unterminated string literal', offset: 5 });
    expect(syntaxError(String.raw`'\q'`).message).toBe("invalid escape '\\q' in string");
    expect(syntaxError('a # b')).toEqual({ message: "unexpected character '#'", offset: 2 });
    expect(syntaxError('a b')).toEqual({
      message: "unexpected 'b' after the end of the expression",
      offset: 2,
    });
    expect(syntaxError('a ? b')).toEqual({
      message: "expected ':' in a conditional 'a ? b : c' but found end of expression",
      offset: 5,
    });
  });

  it('rejects reserved words, unsigned ints, out-of-range ints and malformed numbers', () => {
    expect(syntaxError('if > 1').message).toBe("'if' is a reserved word");
    expect(syntaxError('1u').message).toBe('unsigned integers are not supported');
    expect(syntaxError('9007199254740993').message).toMatch(/out of range/);
    expect(syntaxError('12abc').message).toBe("invalid number '12a'");
    expect(syntaxError('1e999').message).toBe('number 1e999 is out of range');
  });

  it('rejects map literals and runaway nesting', () => {
    expect(syntaxError('{1: 2}').message).toBe('map literals are not supported in conditions');
    expect(syntaxError('('.repeat(250) + '1' + ')'.repeat(250)).message).toMatch(/nests deeper/);
    expect(syntaxError(Array.from({ length: 300 }, () => 'a').join(' + ')).message).toMatch(
      /nests deeper/,
    );
    expect(parsed(Array.from({ length: 50 }, () => '(').join('') + 'a' + ')'.repeat(50))).toBe('a');
  });
});
