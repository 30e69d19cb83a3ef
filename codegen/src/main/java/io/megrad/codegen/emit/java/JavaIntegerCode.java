package io.megrad.codegen.emit.java;

import io.megrad.codegen.ir.Op;

/** Java spellings of INTEGER operations, shared by every place the Java emitter writes integer code. */
final class JavaIntegerCode {
    private JavaIntegerCode() {
    }

    /** An integer arithmetic operation on two operands already in code, or null when it is not one. */
    static String binary(Op.Binary op, String l, String r) {
        return switch (op) {
            case ADD -> "(" + l + " + " + r + ")";
            case SUB -> "(" + l + " - " + r + ")";
            case MUL -> "(" + l + " * " + r + ")";
            case DIV -> "(" + l + " / " + r + ")";
            case POW -> "io.megrad.runtime.Cx.ipow(" + l + ", " + r + ")";
            default -> null;
        };
    }

    /** An integer intrinsic of one or two integer operands already in code, or null when it is not one. */
    static String intrinsic(Op.Fn fn, String a, String b) {
        return switch (fn) {
            case ABS -> "Math.abs(" + a + ")";
            case MIN -> "Math.min(" + a + ", " + b + ")";
            case MAX -> "Math.max(" + a + ", " + b + ")";
            case MOD -> "(" + a + " % " + b + ")";
            case SIGN -> "io.megrad.runtime.Cx.sign(" + a + ", " + b + ")";
            case DIM -> "Math.max(" + a + " - " + b + ", 0)";
            default -> null;
        };
    }
}
