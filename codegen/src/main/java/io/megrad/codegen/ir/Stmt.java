package io.megrad.codegen.ir;

import io.megrad.runtime.SourcePosition;

import java.util.List;

/** Statements. Every statement carries the source position it was translated from. */
public sealed interface Stmt {
    SourcePosition pos();

    /** {@code target} is a {@link Expr.Ref} to a scalar or an {@link Expr.Element}. */
    record Assign(SourcePosition pos, Expr target, Expr value) implements Stmt {
    }

    record If(SourcePosition pos, Expr condition, List<Stmt> then, List<Stmt> otherwise) implements Stmt {
        public If {
            then = List.copyOf(then);
            otherwise = List.copyOf(otherwise);
        }
    }

    /** A counted loop with Fortran semantics: the trip count is fixed on entry. */
    record Do(SourcePosition pos, Variable var, Expr start, Expr end, Expr step, List<Stmt> body) implements Stmt {
        public Do {
            body = List.copyOf(body);
        }
    }

    /** DO WHILE; a null condition loops until EXIT. */
    record While(SourcePosition pos, Expr condition, List<Stmt> body) implements Stmt {
        public While {
            body = List.copyOf(body);
        }
    }

    /**
     * A call of a translated procedure; for a FUNCTION, {@code result} is where the value goes.
     * Arguments are passed by reference as Fortran does: a {@link Expr.Ref} or {@link Expr.Element}
     * may be written by the callee, any other expression is a value.
     */
    record Call(SourcePosition pos, String callee, List<Expr> args, Expr result) implements Stmt {
        public Call {
            args = List.copyOf(args);
        }
    }

    /** Sets {@code target} from external parameter {@code input} of the program (a param-card entry). */
    record ParamInput(SourcePosition pos, Expr target, int input) implements Stmt {
    }

    record Return(SourcePosition pos) implements Stmt {
    }

    record Cycle(SourcePosition pos) implements Stmt {
    }

    record Exit(SourcePosition pos) implements Stmt {
    }

    record Stop(SourcePosition pos) implements Stmt {
    }
}
