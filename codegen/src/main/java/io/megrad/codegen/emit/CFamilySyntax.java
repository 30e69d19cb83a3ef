package io.megrad.codegen.emit;

import io.megrad.codegen.ir.Op;

/** Operator spellings Java and C++ share, so both emitters write IR operations the same way. */
public final class CFamilySyntax {
    private CFamilySyntax() {
    }

    /** A LOGICAL operation on two operands already in code. */
    public static String logical(Op.Binary op, String l, String r) {
        return switch (op) {
            case AND -> "(" + l + " && " + r + ")";
            case OR -> "(" + l + " || " + r + ")";
            case EQV -> "(" + l + " == " + r + ")";
            case NEQV -> "(" + l + " != " + r + ")";
            default -> throw new IllegalArgumentException("not a logical operator: " + op);
        };
    }

    /** The operator of a comparison. */
    public static String comparison(Op.Binary op) {
        return switch (op) {
            case EQ -> "==";
            case NE -> "!=";
            case LT -> "<";
            case LE -> "<=";
            case GT -> ">";
            case GE -> ">=";
            default -> throw new IllegalArgumentException("not a comparison: " + op);
        };
    }
}
