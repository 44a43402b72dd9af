/** The parsed expression. Offsets are UTF-16 indexes into the source; `start` is where the node begins. */
export type BinaryOperator =
  '||' | '&&' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | '+' | '-' | '*' | '/' | '%';

export type ExprNode =
  | { kind: 'literal'; start: number; value: LiteralValue }
  | { kind: 'ident'; start: number; name: string }
  | { kind: 'select'; start: number; operand: ExprNode; field: string; fieldStart: number }
  | { kind: 'index'; start: number; operand: ExprNode; index: ExprNode }
  | { kind: 'call'; start: number; target: ExprNode | null; name: string; args: ExprNode[] }
  | { kind: 'unary'; start: number; op: '!' | '-'; operand: ExprNode }
  | {
      kind: 'binary';
      start: number;
      op: BinaryOperator;
      opStart: number;
      left: ExprNode;
      right: ExprNode;
    }
  | { kind: 'conditional'; start: number; test: ExprNode; then: ExprNode; otherwise: ExprNode }
  | { kind: 'list'; start: number; elements: ExprNode[] };

export type LiteralValue =
  | { type: 'int'; value: number }
  | { type: 'double'; value: number }
  | { type: 'string'; value: string }
  | { type: 'bool'; value: boolean }
  | { type: 'null'; value: null };

/** A problem at an offset; line and column are added when the issue is reported. */
export interface PositionedMessage {
  message: string;
  offset: number;
}
