package io.megrad.codegen.ir;

import java.util.List;

/** Typed expressions. User function calls never appear here: lowering hoists them into {@link Stmt.Call}. */
public sealed interface Expr {
    Type type();

    record IntConst(long value) implements Expr {
        public Type type() {
            return Type.INT;
        }
    }

    /** A REAL or REAL4 constant (a REAL4 value is already rounded to single precision). */
    record RealConst(double value, Type type) implements Expr {
    }

    record ComplexConst(double re, double im) implements Expr {
        public Type type() {
            return Type.COMPLEX;
        }
    }

    record LogicalConst(boolean value) implements Expr {
        public Type type() {
            return Type.LOGICAL;
        }
    }

    record StringConst(String value) implements Expr {
        public Type type() {
            return Type.CHARACTER;
        }
    }

    /** A scalar variable, or a whole array when passed as an actual argument. */
    record Ref(Variable var) implements Expr {
        public Type type() {
            return var.type();
        }
    }

    /** An array element; one 1-based-or-declared-bound index per dimension. */
    record Element(Variable var, List<Expr> indices) implements Expr {
        public Element {
            indices = List.copyOf(indices);
        }

        public Type type() {
            return var.type();
        }
    }

    record Unary(Op.Unary op, Expr operand, Type type) implements Expr {
    }

    record Binary(Op.Binary op, Expr left, Expr right, Type type) implements Expr {
    }

    record Intrinsic(Op.Fn fn, List<Expr> args, Type type) implements Expr {
        public Intrinsic {
            args = List.copyOf(args);
        }
    }

    /** A type conversion (INT ↔ REAL ↔ COMPLEX; COMPLEX → REAL keeps the real part, as Fortran's assignment does). */
    record Convert(Expr operand, Type type) implements Expr {
    }
}
