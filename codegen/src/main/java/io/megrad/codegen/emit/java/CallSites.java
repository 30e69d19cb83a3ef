package io.megrad.codegen.emit.java;

import io.megrad.codegen.ir.Stmt;

import java.util.List;
import java.util.function.Consumer;

/** The CALL statements of a body, at every depth (branches and loops included), in order. */
final class CallSites {
    private CallSites() {
    }

    static void forEach(List<Stmt> body, Consumer<Stmt.Call> action) {
        for (Stmt s : body) {
            if (s instanceof Stmt.Call c) {
                action.accept(c);
            } else if (s instanceof Stmt.If i) {
                forEach(i.then(), action);
                forEach(i.otherwise(), action);
            } else if (s instanceof Stmt.Do d) {
                forEach(d.body(), action);
            } else if (s instanceof Stmt.While w) {
                forEach(w.body(), action);
            }
        }
    }
}
