package io.megrad.codegen.ir;

import io.megrad.runtime.SourcePosition;

import java.util.List;

/**
 * A translated SUBROUTINE or FUNCTION. A function's value is its {@code result} variable, which the
 * caller receives like an extra by-reference argument.
 */
public record Procedure(String name, List<Variable> params, Variable result, List<Variable> locals,
                        List<Stmt> body, List<DataInit> data, SourcePosition pos) {
    public Procedure {
        params = List.copyOf(params);
        locals = List.copyOf(locals);
        body = List.copyOf(body);
        data = List.copyOf(data);
    }

    public boolean isFunction() {
        return result != null;
    }
}
