import {
  isListType,
  isMapType,
  isNumeric,
  sameType,
  schemaPaths,
  typeName,
  type ExprType,
  type FactSchema,
  type FactType,
} from './factType.ts';
import { parseExpression } from './parseExpression.ts';
import { closest } from './suggest.ts';
import type { BinaryOperator, ExprNode, PositionedMessage } from './syntaxTree.ts';
import { parseDuration, parseTimestamp } from './timeLiterals.ts';
import { ExprSyntaxError } from './tokenize.ts';

export interface ExprIssue {
  message: string;
  offset: number;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
}

export type CompileResult =
  | {
      ok: true;
      type: FactType;
      /**
       * Runs the compiled expression. Timestamps and durations in the context are epoch / span
       * milliseconds (factsToContext converts them); a missing property is an absent fact. A bool
       * expression returns true only when it definitely holds (absent → false); any other type
       * returns its value, or undefined when absent.
       */
      evaluate: (ctx: Record<string, unknown>) => unknown;
      /** The generated JavaScript, for debugging and review. */
      source: string;
    }
  | { ok: false; issues: ExprIssue[] };

/**
 * A checked sub-expression and how to emit it. `value()` yields the value or `undefined` when the
 * result is absent (a missing fact, or an error such as integer division by zero); `isTrue()` and
 * `isFalse()` (bool only) emit a JS boolean for "definitely true" / "definitely false", which lets
 * `&&`, `||`, `!` and `?:` compile to plain JS operators in a condition.
 */
interface Fragment {
  type: ExprType;
  /** May evaluate to undefined. */
  absent: boolean;
  /** Cheap and side-effect free to emit twice (a literal or a local). */
  simple: boolean;
  /** Dotted fact path, when the fragment is a fact reference (for messages and has()). */
  path?: string;
  /** Human description for messages: the fact path or the literal as written. */
  label?: string;
  /** Set for literals: the constant value. */
  constant?: { value: unknown };
  value(): string;
  isTrue(): string;
  isFalse(): string;
}

const errorFragment: Fragment = {
  type: 'error',
  absent: true,
  simple: true,
  value: () => 'undefined',
  isTrue: () => 'false',
  isFalse: () => 'false',
};

const knownFunctions = [
  'has',
  'size',
  'startsWith',
  'endsWith',
  'contains',
  'duration',
  'timestamp',
  'int',
  'double',
  'string',
];

/** Literal lists up to this length compile to a chain of `===`; longer ones to a Set lookup. */
const inlineMembershipLimit = 8;

function emitNumber(n: number): string {
  return n < 0 || Object.is(n, -0) ? `(${String(n)})` : String(n);
}

function emitConstant(v: unknown): string {
  if (typeof v === 'number') return emitNumber(v);
  // JSON.stringify yields a valid JS string literal: quotes and escapes are never interpreted as code.
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return 'null';
}

function lineAndColumn(src: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < src.length; i++) {
    if (src[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

class Compiler {
  readonly issues: PositionedMessage[] = [];
  private temps = 0;
  /** Values handed to the generated function (Sets, constant lists, helpers). */
  private readonly constants: unknown[] = [];
  private readonly allPaths: string[];

  constructor(private readonly schema: FactSchema) {
    this.allPaths = schemaPaths(schema);
  }

  error(message: string, offset: number): Fragment {
    this.issues.push({ message, offset });
    return errorFragment;
  }

  temp(): string {
    return `t${this.temps++}`;
  }

  constant(value: unknown): string {
    let i = this.constants.indexOf(value);
    if (i < 0) i = this.constants.push(value) - 1;
    return `k${i}`;
  }

  /** Assemble the function: `new Function` over source built only from our typed tree. */
  finish(root: Fragment): { source: string; evaluate: (ctx: Record<string, unknown>) => unknown } {
    // Emitting the result allocates the temps, so it comes first.
    const result = root.type === 'bool' ? root.isTrue() : root.value();
    const lines = ['"use strict";'];
    if (this.temps > 0) {
      lines.push(`let ${Array.from({ length: this.temps }, (_, i) => `t${i}`).join(', ')};`);
    }
    lines.push(`return ${result};`);
    const source = `function evaluate(c) {\n  ${lines.join('\n  ')}\n}`;
    const params = this.constants.map((_, i) => `k${i}`);
    const factory = new Function(...params, `return ${source};`) as (
      ...k: unknown[]
    ) => (ctx: Record<string, unknown>) => unknown;
    return { source, evaluate: factory(...this.constants) };
  }

  // ----- fragments -------------------------------------------------------------------------------

  /** A fragment from value code; bool fragments derive isTrue/isFalse from it. */
  make(
    type: ExprType,
    absent: boolean,
    value: () => string,
    extra: Partial<Fragment> = {},
  ): Fragment {
    const f: Fragment = {
      type,
      absent,
      simple: false,
      value,
      isTrue: () => (absent ? `(${value()} === true)` : value()),
      isFalse: () => (absent ? `(${value()} === false)` : `!${value()}`),
      ...extra,
    };
    return f;
  }

  /** Evaluate the absent-capable parts once into temps; undefined if any is undefined. */
  guard(parts: readonly Fragment[], build: (codes: string[]) => string): string {
    const assigns: string[] = [];
    const checks: string[] = [];
    const codes = parts.map((p) => {
      if (!p.absent) return p.value();
      const code = p.simple ? p.value() : this.temp();
      if (!p.simple) assigns.push(`${code} = ${p.value()}`);
      checks.push(`${code} === undefined`);
      return code;
    });
    if (checks.length === 0) return build(codes);
    return `(${[...assigns, `${checks.join(' || ')} ? undefined : ${build(codes)}`].join(', ')})`;
  }

  /** Bind a fragment's value to a temp (unless simple) so it can be referenced more than once. */
  bind(f: Fragment): { setup: string | null; ref: string } {
    if (f.simple) return { setup: null, ref: f.value() };
    const t = this.temp();
    return { setup: `${t} = ${f.value()}`, ref: t };
  }

  // ----- checking and emitting -------------------------------------------------------------------

  check(node: ExprNode): Fragment {
    switch (node.kind) {
      case 'literal':
        return this.literal(node.value.type, node.value.value);
      case 'ident':
      case 'select':
        return this.reference(node);
      case 'index':
        return this.index(node);
      case 'list':
        return this.list(node);
      case 'unary':
        return this.unary(node);
      case 'binary':
        return this.binary(node);
      case 'conditional':
        return this.conditional(node);
      case 'call':
        return this.call(node);
    }
  }

  literal(type: ExprType, value: unknown): Fragment {
    const code = emitConstant(value);
    const label = typeof value === 'string' ? `'${value}'` : String(value);
    return this.make(type, false, () => code, { simple: true, label, constant: { value } });
  }

  /** `a.b.c` as one dotted path when it is a chain of names from an identifier. */
  dottedPath(node: ExprNode): string | null {
    if (node.kind === 'ident') return node.name;
    if (node.kind === 'select') {
      const base = this.dottedPath(node.operand);
      return base === null ? null : `${base}.${node.field}`;
    }
    return null;
  }

  unknownFact(path: string, offset: number): Fragment {
    const depth = path.split('.').length;
    const suggestion = closest(
      path,
      this.allPaths.filter((p) => p.split('.').length === depth),
    );
    return this.error(
      `unknown fact '${path}'${suggestion ? ` (did you mean '${suggestion}'?)` : ''}`,
      offset,
    );
  }

  reference(node: ExprNode & { kind: 'ident' | 'select' }): Fragment {
    if (node.kind === 'ident') {
      if (!Object.hasOwn(this.schema, node.name)) return this.unknownFact(node.name, node.start);
      const type = this.schema[node.name] as FactType;
      // Read where used, not hoisted: a short-circuited branch then never touches its fact group.
      // Names reaching here matched the lexer's identifier rule and the schema.
      const code = `c.${node.name}`;
      return this.make(type, true, () => code, { simple: true, path: node.name, label: node.name });
    }
    // `tags.diabetes`: name the whole path in the message, not just the unknown first name.
    const path = this.dottedPath(node);
    const root = path?.split('.')[0];
    if (path && root !== undefined && !Object.hasOwn(this.schema, root)) {
      return this.unknownFact(path, node.start);
    }
    const operand = this.check(node.operand);
    return this.field(operand, node.field, node.start, node.fieldStart, path);
  }

  field(
    operand: Fragment,
    field: string,
    start: number,
    fieldStart: number,
    path: string | null,
  ): Fragment {
    if (operand.type === 'error') return errorFragment;
    const where = operand.label ?? typeName(operand.type);
    if (!isMapType(operand.type)) {
      return this.error(
        `${where} is ${typeName(operand.type)} and has no field '${field}'`,
        fieldStart,
      );
    }
    if (!Object.hasOwn(operand.type.map, field)) {
      const fullPath = path ?? (operand.path ? `${operand.path}.${field}` : null);
      if (fullPath) return this.unknownFact(fullPath, start);
      const suggestion = closest(field, Object.keys(operand.type.map));
      return this.error(
        `no field '${field}'${suggestion ? ` (did you mean '${suggestion}'?)` : ''}`,
        fieldStart,
      );
    }
    const type = operand.type.map[field] as FactType;
    // Field names come from the lexer's identifier rule ([A-Za-z_][A-Za-z0-9_]*) or JSON.stringify.
    const access = /^[A-Za-z_][A-Za-z0-9_]*$/.test(field)
      ? `.${field}`
      : `[${JSON.stringify(field)}]`;
    const dot = operand.absent ? `?${access.startsWith('.') ? '' : '.'}` : '';
    const fullPath = operand.path ? `${operand.path}.${field}` : undefined;
    return this.make(type, true, () => `${operand.value()}${dot}${access}`, {
      ...(fullPath ? { path: fullPath, label: fullPath } : {}),
    });
  }

  index(node: ExprNode & { kind: 'index' }): Fragment {
    const operand = this.check(node.operand);
    if (operand.type === 'error') return errorFragment;
    if (isMapType(operand.type)) {
      if (node.index.kind !== 'literal' || node.index.value.type !== 'string') {
        return this.error('a map can only be indexed with a literal string', node.index.start);
      }
      const key = node.index.value.value;
      return this.field(
        operand,
        key,
        node.start,
        node.index.start,
        operand.path ? `${operand.path}.${key}` : null,
      );
    }
    const index = this.check(node.index);
    if (index.type === 'error') return errorFragment;
    if (!isListType(operand.type)) {
      return this.error(`cannot index ${typeName(operand.type)}`, node.index.start);
    }
    if (index.type !== 'int') {
      return this.error(`a list index must be int, got ${typeName(index.type)}`, node.index.start);
    }
    // Out of range is an error in CEL: absent here.
    return this.make(operand.type.list, true, () =>
      this.guard([operand, index], ([l, i]) => `${l}[${i}]`),
    );
  }

  list(node: ExprNode & { kind: 'list' }): Fragment {
    if (node.elements.length === 0) {
      return this.error('an empty list literal has no element type', node.start);
    }
    const elements = node.elements.map((e) => this.check(e));
    if (elements.some((e) => e.type === 'error')) return errorFragment;
    let elementType: ExprType = (elements[0] as Fragment).type;
    for (const [i, e] of elements.entries()) {
      const unified = unify(elementType, e.type);
      if (unified === null) {
        return this.error(
          `list elements must share one type: ${typeName(elementType)} and ${typeName(e.type)}`,
          (node.elements[i] as ExprNode).start,
        );
      }
      elementType = unified;
    }
    if (elementType === 'null') return this.error('a list cannot hold null', node.start);
    const type: FactType = { list: elementType as FactType };
    if (elements.every((e) => e.constant)) {
      const values = Object.freeze(elements.map((e) => e.constant?.value));
      const k = this.constant(values);
      return this.make(type, false, () => k, { simple: true, constant: { value: values } });
    }
    return this.make(
      type,
      elements.some((e) => e.absent),
      () => this.guard(elements, (codes) => `[${codes.join(', ')}]`),
    );
  }

  unary(node: ExprNode & { kind: 'unary' }): Fragment {
    const operand = this.check(node.operand);
    if (operand.type === 'error') return errorFragment;
    if (node.op === '!') {
      if (operand.type !== 'bool') {
        return this.error(`'!' needs a bool, got ${typeName(operand.type)}`, node.start);
      }
      return {
        ...this.make('bool', operand.absent, () => this.guard([operand], ([v]) => `!${v}`)),
        isTrue: () => operand.isFalse(),
        isFalse: () => operand.isTrue(),
      };
    }
    if (!isNumeric(operand.type) && operand.type !== 'duration') {
      return this.error(
        `unary '-' needs a number or duration, got ${typeName(operand.type)}`,
        node.start,
      );
    }
    return this.make(operand.type, operand.absent, () => this.guard([operand], ([v]) => `(-${v})`));
  }

  conditional(node: ExprNode & { kind: 'conditional' }): Fragment {
    const test = this.check(node.test);
    const a = this.check(node.then);
    const b = this.check(node.otherwise);
    if ([test, a, b].some((f) => f.type === 'error')) return errorFragment;
    if (test.type !== 'bool') {
      return this.error(
        `the condition of '?:' must be bool, got ${typeName(test.type)}`,
        node.start,
      );
    }
    const type = unify(a.type, b.type);
    if (type === null || type === 'null') {
      return this.error(
        `both branches of '?:' must have one type: ${typeName(a.type)} and ${typeName(b.type)}`,
        node.then.start,
      );
    }
    const absent = test.absent || a.absent || b.absent;
    const pick = (x: () => string, y: () => string, none: string) =>
      test.absent
        ? `(${test.isTrue()} ? ${x()} : ${test.isFalse()} ? ${y()} : ${none})`
        : `(${test.value()} ? ${x()} : ${y()})`;
    return {
      ...this.make(type, absent, () =>
        pick(
          () => a.value(),
          () => b.value(),
          'undefined',
        ),
      ),
      isTrue: () =>
        pick(
          () => a.isTrue(),
          () => b.isTrue(),
          'false',
        ),
      isFalse: () =>
        pick(
          () => a.isFalse(),
          () => b.isFalse(),
          'false',
        ),
    };
  }

  binary(node: ExprNode & { kind: 'binary' }): Fragment {
    const left = this.check(node.left);
    const right = this.check(node.right);
    if (left.type === 'error' || right.type === 'error') return errorFragment;
    switch (node.op) {
      case '&&':
      case '||':
        return this.logical(node.op, left, right, node.opStart);
      case '==':
      case '!=':
        return this.equality(node.op, left, right, node.opStart);
      case '<':
      case '<=':
      case '>':
      case '>=':
        return this.relational(node.op, left, right, node.opStart);
      case 'in':
        return this.membership(left, right, node.opStart);
      default:
        return this.arithmetic(node.op, left, right, node.opStart);
    }
  }

  describe(f: Fragment): string {
    return f.label ? `${f.label} (${typeName(f.type)})` : typeName(f.type);
  }

  logical(op: '&&' | '||', left: Fragment, right: Fragment, offset: number): Fragment {
    for (const f of [left, right]) {
      if (f.type !== 'bool') {
        return this.error(`'${op}' needs bool operands, got ${this.describe(f)}`, offset);
      }
    }
    const absent = left.absent || right.absent;
    // CEL's commutative logic: false && absent = false, true || absent = true, else absent.
    const value = (): string => {
      if (!absent) return `(${left.value()} ${op} ${right.value()})`;
      const a = this.temp();
      const b = this.temp();
      const decisive = op === '&&' ? 'false' : 'true';
      return `(${a} = ${left.value()}, ${a} === ${decisive} ? ${decisive} : (${b} = ${right.value()}, ${b} === ${decisive} ? ${decisive} : ${a} === undefined || ${b} === undefined ? undefined : ${op === '&&' ? 'true' : 'false'}))`;
    };
    return {
      ...this.make('bool', absent, value),
      isTrue: () =>
        op === '&&'
          ? `(${left.isTrue()} && ${right.isTrue()})`
          : `(${left.isTrue()} || ${right.isTrue()})`,
      isFalse: () =>
        op === '&&'
          ? `(${left.isFalse()} || ${right.isFalse()})`
          : `(${left.isFalse()} && ${right.isFalse()})`,
    };
  }

  /** Comparisons are never absent: with an absent operand they are false. */
  comparison(code: () => string): Fragment {
    return this.make('bool', false, code, {
      isTrue: code,
      isFalse: () => `!${code()}`,
    });
  }

  equality(op: '==' | '!=', left: Fragment, right: Fragment, offset: number): Fragment {
    // `x == null` tests absence (the only use of null in conditions).
    if (left.type === 'null' || right.type === 'null') {
      const other = left.type === 'null' ? right : left;
      if (other.type === 'null') return this.literal('bool', op === '==');
      return this.comparison(() => `(${other.value()} ${op === '==' ? '===' : '!=='} undefined)`);
    }
    if (
      isListType(left.type) ||
      isMapType(left.type) ||
      isListType(right.type) ||
      isMapType(right.type)
    ) {
      return this.error(`'${op}' is not defined for lists and maps`, offset);
    }
    if (!(sameType(left.type, right.type) || (isNumeric(left.type) && isNumeric(right.type)))) {
      return this.error(
        `cannot compare ${this.describe(left)} with ${this.describe(right)} using '${op}'`,
        offset,
      );
    }
    const jsOp = op === '==' ? '===' : '!==';
    return this.comparison(() => {
      if (!left.absent && !right.absent) return `(${left.value()} ${jsOp} ${right.value()})`;
      if (op === '==' && !(left.absent && right.absent)) {
        // An absent side is undefined, which is never === a present value.
        return `(${left.value()} === ${right.value()})`;
      }
      const parts: string[] = [];
      const refs = [left, right].map((f) => {
        if (!f.absent) return f.value();
        const b = this.bind(f);
        parts.push(b.setup ? `(${b.setup}) !== undefined` : `${b.ref} !== undefined`);
        return b.ref;
      });
      return `(${[...parts, `${refs[0]} ${jsOp} ${refs[1]}`].join(' && ')})`;
    });
  }

  relational(
    op: '<' | '<=' | '>' | '>=',
    left: Fragment,
    right: Fragment,
    offset: number,
  ): Fragment {
    const ordered =
      (isNumeric(left.type) && isNumeric(right.type)) ||
      (left.type === right.type &&
        (left.type === 'string' || left.type === 'timestamp' || left.type === 'duration'));
    if (!ordered) {
      return this.error(
        `cannot compare ${this.describe(left)} with ${this.describe(right)} using '${op}'`,
        offset,
      );
    }
    // JS relational operators are false when either side is undefined: exactly "absent → false".
    return this.comparison(() => `(${left.value()} ${op} ${right.value()})`);
  }

  membership(item: Fragment, list: Fragment, offset: number): Fragment {
    if (!isListType(list.type)) {
      return this.error(`'in' needs a list on the right, got ${this.describe(list)}`, offset);
    }
    const element = list.type.list;
    if (!(sameType(item.type, element) || (isNumeric(item.type) && isNumeric(element)))) {
      return this.error(`cannot look for ${this.describe(item)} in ${typeName(list.type)}`, offset);
    }
    const values = list.constant?.value as readonly unknown[] | undefined;
    if (values && values.length <= inlineMembershipLimit) {
      return this.comparison(() => {
        const b = this.bind(item);
        const tests = values.map((v) => `${b.ref} === ${emitConstant(v)}`).join(' || ');
        return b.setup ? `(${b.setup}, ${tests})` : `(${tests})`;
      });
    }
    if (values) {
      const set = this.constant(new Set(values));
      return this.comparison(() => `${set}.has(${item.value()})`);
    }
    return this.comparison(() => {
      const l = this.bind(list);
      const guard = list.absent ? `${l.ref} !== undefined && ` : '';
      const setup = l.setup ? `${l.setup}, ` : '';
      return `(${setup}${guard}${l.ref}.includes(${item.value()}))`;
    });
  }

  arithmetic(op: BinaryOperator, left: Fragment, right: Fragment, offset: number): Fragment {
    const type = arithmeticType(op, left.type, right.type);
    if (type === null) {
      return this.error(
        `'${op}' is not defined for ${this.describe(left)} and ${this.describe(right)}`,
        offset,
      );
    }
    const absent = left.absent || right.absent;
    const intDivision = (op === '/' || op === '%') && type === 'int';
    if (intDivision) {
      // CEL: integer division truncates; dividing by zero is an error, i.e. absent here.
      return this.make('int', true, () => {
        const a = this.temp();
        const b = this.temp();
        const result = op === '/' ? `Math.trunc(${a} / ${b})` : `${a} % ${b}`;
        return `(${a} = ${left.value()}, ${b} = ${right.value()}, ${a} === undefined || ${b} === undefined || ${b} === 0 ? undefined : ${result})`;
      });
    }
    const build =
      op === '+' && isListType(type)
        ? ([a, b]: string[]) => `${a}.concat(${b})`
        : ([a, b]: string[]) => `(${a} ${op} ${b})`;
    return this.make(type, absent, () => this.guard([left, right], build));
  }

  call(node: ExprNode & { kind: 'call' }): Fragment {
    const { name, target, args } = node;
    const arity = (n: number): Fragment | null =>
      args.length === n
        ? null
        : this.error(
            `${name}() takes ${n} argument${n === 1 ? '' : 's'}, got ${args.length}`,
            node.start,
          );
    switch (name) {
      case 'has': {
        const bad = target
          ? this.error('has() is a function: has(tag.pregnancy)', node.start)
          : arity(1);
        if (bad) return bad;
        const arg = args[0] as ExprNode;
        if (arg.kind !== 'select') {
          return this.error('has() takes a field selection, e.g. has(tag.pregnancy)', arg.start);
        }
        const operand = this.check(arg.operand);
        const selected = this.field(
          operand,
          arg.field,
          arg.start,
          arg.fieldStart,
          this.dottedPath(arg),
        );
        if (selected.type === 'error') return errorFragment;
        return this.comparison(() => `(${selected.value()} !== undefined)`);
      }
      case 'size': {
        const subject = target
          ? this.check(target)
          : args.length === 1
            ? this.check(args[0] as ExprNode)
            : null;
        if (!subject) return arity(1) ?? errorFragment;
        if (target && args.length > 0) return arity(0) ?? errorFragment;
        if (subject.type === 'error') return errorFragment;
        if (subject.type === 'string') {
          const helper = this.constant(codePointCount);
          return this.make('int', subject.absent, () =>
            this.guard([subject], ([s]) => `${helper}(${s})`),
          );
        }
        if (isListType(subject.type)) {
          return this.make('int', subject.absent, () =>
            this.guard([subject], ([s]) => `${s}.length`),
          );
        }
        if (isMapType(subject.type)) {
          return this.make('int', subject.absent, () =>
            this.guard([subject], ([s]) => `Object.keys(${s}).length`),
          );
        }
        return this.error(
          `size() needs a string, list or map, got ${this.describe(subject)}`,
          node.start,
        );
      }
      case 'startsWith':
      case 'endsWith':
      case 'contains': {
        if (!target) return this.error(`${name}() is a method: s.${name}('…')`, node.start);
        const bad = arity(1);
        if (bad) return bad;
        const subject = this.check(target);
        const arg = this.check(args[0] as ExprNode);
        if (subject.type === 'error' || arg.type === 'error') return errorFragment;
        if (subject.type !== 'string' || arg.type !== 'string') {
          return this.error(
            `${name}() is defined on strings: got ${this.describe(subject)}.${name}(${typeName(arg.type)})`,
            node.start,
          );
        }
        const method = name === 'contains' ? 'includes' : name;
        return this.make('bool', subject.absent || arg.absent, () =>
          this.guard([subject, arg], ([s, a]) => `${s}.${method}(${a})`),
        );
      }
      case 'duration':
      case 'timestamp': {
        const bad = target ? this.error(`${name}() is a function`, node.start) : arity(1);
        if (bad) return bad;
        const arg = args[0] as ExprNode;
        if (arg.kind !== 'literal' || arg.value.type !== 'string') {
          return this.error(
            name === 'duration'
              ? "duration() takes a literal string, e.g. duration('72h')"
              : "timestamp() takes a literal string, e.g. timestamp('2026-01-01T00:00:00Z')",
            arg.start,
          );
        }
        const text = arg.value.value;
        const ms = name === 'duration' ? parseDuration(text) : parseTimestamp(text);
        if (ms === null) {
          return this.error(
            name === 'duration'
              ? `invalid duration '${text}': use h, m, s, ms, e.g. '72h' or '1h30m'`
              : `invalid timestamp '${text}': use RFC 3339 with a zone, e.g. '2026-01-01T08:00:00+08:00'`,
            arg.start,
          );
        }
        return this.make(name, false, () => emitNumber(ms), {
          simple: true,
          label: `${name}('${text}')`,
        });
      }
      case 'int':
      case 'double':
      case 'string': {
        const bad = target ? this.error(`${name}() is a function`, node.start) : arity(1);
        if (bad) return bad;
        const arg = this.check(args[0] as ExprNode);
        if (arg.type === 'error') return errorFragment;
        if (!isNumeric(arg.type) && !(name === 'string' && arg.type === 'string')) {
          return this.error(`${name}() converts numbers, got ${this.describe(arg)}`, node.start);
        }
        const convert =
          name === 'int'
            ? ([v]: string[]) => `Math.trunc(${v})`
            : name === 'string'
              ? ([v]: string[]) => `String(${v})`
              : ([v]: string[]) => `${v}`;
        return this.make(name, arg.absent, () => this.guard([arg], convert));
      }
      default: {
        const suggestion = closest(name, knownFunctions);
        return this.error(
          `unknown function '${name}'${suggestion ? ` (did you mean '${suggestion}'?)` : ''}`,
          node.start,
        );
      }
    }
  }
}

function codePointCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function unify(a: ExprType, b: ExprType): ExprType | null {
  if (sameType(a, b)) return a;
  if (isNumeric(a) && isNumeric(b)) return 'double';
  return null;
}

function arithmeticType(op: BinaryOperator, a: ExprType, b: ExprType): ExprType | null {
  if (isNumeric(a) && isNumeric(b)) {
    if (op === '%') return a === 'int' && b === 'int' ? 'int' : null;
    return a === 'int' && b === 'int' ? 'int' : 'double';
  }
  if (op === '+') {
    if (a === 'string' && b === 'string') return 'string';
    if (isListType(a) && sameType(a, b)) return a;
    if ((a === 'timestamp' && b === 'duration') || (a === 'duration' && b === 'timestamp'))
      return 'timestamp';
    if (a === 'duration' && b === 'duration') return 'duration';
  }
  if (op === '-') {
    if (a === 'timestamp' && b === 'timestamp') return 'duration';
    if (a === 'timestamp' && b === 'duration') return 'timestamp';
    if (a === 'duration' && b === 'duration') return 'duration';
  }
  return null;
}

function accepts(expected: FactType, actual: FactType): boolean {
  return sameType(expected, actual) || (expected === 'double' && actual === 'int');
}

/**
 * Parse, type-check against the fact schema and compile a CEL condition to a JavaScript function,
 * once. Syntax errors stop at the first; type errors are all reported, each with line and column.
 */
export function compileCondition(
  expression: string,
  schema: FactSchema,
  opts: { expect?: FactType } = {},
): CompileResult {
  const positioned = (issues: readonly PositionedMessage[]): CompileResult => ({
    ok: false,
    issues: issues.map((i) => ({ ...i, ...lineAndColumn(expression, i.offset) })),
  });
  let ast: ExprNode;
  try {
    ast = parseExpression(expression);
  } catch (e) {
    if (e instanceof ExprSyntaxError) return positioned([e.issue]);
    throw e;
  }
  const compiler = new Compiler(schema);
  const root = compiler.check(ast);
  if (compiler.issues.length > 0) return positioned(compiler.issues);
  if (root.type === 'error' || root.type === 'null' || root.type === 'dyn') {
    return positioned([{ message: 'the expression has no value type', offset: 0 }]);
  }
  if (opts.expect && !accepts(opts.expect, root.type)) {
    return positioned([
      {
        message: `expected ${typeName(opts.expect)} but the expression is ${typeName(root.type)}`,
        offset: 0,
      },
    ]);
  }
  const { source, evaluate } = compiler.finish(root);
  return { ok: true, type: root.type, evaluate, source };
}
