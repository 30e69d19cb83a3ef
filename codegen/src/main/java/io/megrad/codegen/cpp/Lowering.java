package io.megrad.codegen.cpp;

import io.megrad.codegen.ir.ConstantFolder;
import io.megrad.codegen.ir.DataInit;
import io.megrad.codegen.ir.Dim;
import io.megrad.codegen.ir.Expr;
import io.megrad.codegen.ir.ExternalInput;
import io.megrad.codegen.ir.Op;
import io.megrad.codegen.ir.Procedure;
import io.megrad.codegen.ir.Stmt;
import io.megrad.codegen.ir.Storage;
import io.megrad.codegen.ir.Type;
import io.megrad.codegen.ir.Variable;
import io.megrad.runtime.InputException;
import io.megrad.runtime.SourcePosition;
import io.megrad.runtime.UnsupportedConstructException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Translates one C++ function into an IR {@link Procedure}, with C++'s typing (usual arithmetic
 * conversions, integer division, {@code std::complex} operators), scopes, and storage: locals,
 * {@code static} locals (SAVEd, initialised as DATA), class members (COMMON storage of the class's one
 * object), parameters by value, by reference and as arrays (row-major arrays become column-major
 * arrays with the bounds reversed, so {@code a[i][j]} is {@code a(j, i)} and memory order is kept).
 * Function calls are hoisted out of expressions into {@link Stmt.Call}s.
 */
final class Lowering {
    private final Model model;
    private final Model.ClassInfo owner;
    private final Model.Callee callee;
    private final Deque<Map<String, Sym>> scopes = new ArrayDeque<>();
    private final List<Variable> params = new ArrayList<>();
    private final List<Variable> locals = new ArrayList<>();
    private final List<DataInit> data = new ArrayList<>();
    private final Set<String> usedNames = new HashSet<>();
    /** Locals of closed scopes, reusable by a later declaration of the same name and shape. */
    private final Map<String, List<Variable>> closedLocals = new HashMap<>();
    /** Element values of integer arrays known at translation time (the SLHA {@code indices} vector). */
    private final Map<Variable, long[]> knownInts = new HashMap<>();
    private Set<String> modified = Set.of();
    /** Parameters passed by value (a reference parameter may alias storage the loop body changes). */
    private final Set<Variable> valueParams = new HashSet<>();
    private Variable result;
    private int tempCounter;
    private int branchDepth;

    /** What a name designates. */
    private sealed interface Sym {
    }

    private record VarSym(Variable var) implements Sym {
    }

    private record ConstSym(Expr value) implements Sym {
    }

    private record InstanceSym(Model.ClassInfo cls) implements Sym {
    }

    private record CardReaderSym() implements Sym {
    }

    private record VectorSym(Variable data, Variable size) implements Sym {
    }

    private record OpaqueSym(String what) implements Sym {
    }

    private Lowering(Model model, Model.ClassInfo owner, Model.Callee callee) {
        this.model = model;
        this.owner = owner;
        this.callee = callee;
        scopes.push(new LinkedHashMap<>());
    }

    /** Lowers a constant expression in the scope of class {@code owner} (null: namespace scope). */
    static Expr constantExpression(Model model, Model.ClassInfo owner, Syntax.Expr e, SourcePosition pos) {
        return new Lowering(model, owner, null).expr(e, null, pos);
    }

    static Procedure lower(Model model, Model.Callee callee) {
        return new Lowering(model, callee.owner(), callee).lowerFunction();
    }

    // ------------------------------------------------------------------ procedure

    private Procedure lowerFunction() {
        Syntax.Function fn = callee.fn();
        modified = modifiedNames(fn.body());
        List<Stmt> out = new ArrayList<>();
        int index = 0;
        for (Model.ParamPlan p : callee.params()) {
            String name = p.param().name();
            if (p.kind() == Model.PassKind.DROPPED) {
                if (!name.isEmpty()) {
                    Sym s = switch (p.dropped()) {
                        case CARD_READER -> new CardReaderSym();
                        case OBJECT -> new InstanceSym(model.classes.get(p.param().type().simpleBase()));
                        case STRING -> new OpaqueSym("string parameter " + name);
                    };
                    scopes.peek().put(name, s);
                }
                continue;
            }
            if (p.kind() == Model.PassKind.VALUE && modified.contains(name)) {
                // C++ passes by value: the callee writes its own copy.
                Variable arg = new Variable(unique(name + "_in"), p.type(), p.dims(), new Storage.Argument(index++), p.param().pos());
                params.add(arg);
                Variable copy = newLocal(name, p.type(), p.dims(), p.param().pos());
                scopes.peek().put(name, new VarSym(copy));
                out.add(new Stmt.Assign(p.param().pos(), new Expr.Ref(copy), new Expr.Ref(arg)));
                continue;
            }
            Variable v = new Variable(unique(name.isEmpty() ? "unnamed" : name), p.type(), p.dims(), new Storage.Argument(index++), p.param().pos());
            params.add(v);
            if (p.kind() == Model.PassKind.VALUE) {
                valueParams.add(v);
            }
            if (!name.isEmpty()) {
                scopes.peek().put(name, new VarSym(v));
            }
        }
        if (callee.result() != null) {
            result = new Variable("$result", callee.result(), List.of(), new Storage.Local(), fn.pos());
        }
        scopes.push(new LinkedHashMap<>());
        for (Syntax.Stmt s : fn.body().body()) {
            statement(s, out);
        }
        return new Procedure(callee.irName(), params, result, locals, out, data, fn.pos());
    }

    /** Names {@code s} may modify; a call may modify only what it passes to reference or array parameters. */
    private Set<String> modifiedNames(Syntax.Stmt s) {
        return SyntaxWalk.modifiedNames(s, (call, i) -> {
            if (!(call.callee() instanceof Syntax.Name n)) {
                return true;
            }
            String name = stripNamespaces(n.name());
            Syntax.Function f = owner != null ? owner.methods.get(name) : null;
            if (f == null) {
                List<Syntax.Function> fns = model.functions.get(name);
                f = fns != null && fns.size() == 1 ? fns.get(0) : null;
            }
            if (f == null) {
                return !Intrinsics.isPure(name);
            }
            if (i >= f.params().size()) {
                return true;
            }
            Syntax.Param p = f.params().get(i);
            return !p.dims().isEmpty() || p.type().pointers() > 0 || p.type().reference();
        });
    }

    private String unique(String base) {
        String safe = JavaSafeNames.variable(base);
        String name = safe;
        for (int k = 2; !usedNames.add(name); k++) {
            name = safe + "_" + k;
        }
        return name;
    }

    private Variable newLocal(String name, Type type, List<Dim> dims, SourcePosition pos) {
        List<Variable> free = closedLocals.get(name);
        if (free != null) {
            for (Variable v : free) {
                if (v.type() == type && v.dims().equals(dims)) {
                    free.remove(v);
                    return v;
                }
            }
        }
        Variable v = new Variable(unique(name), type, dims, new Storage.Local(), pos);
        locals.add(v);
        return v;
    }

    private Variable temp(String hint, Type type, SourcePosition pos) {
        Variable v = new Variable("$" + hint + "_" + (tempCounter++), type, List.of(), new Storage.Local(), pos);
        locals.add(v);
        return v;
    }

    private void openScope() {
        scopes.push(new LinkedHashMap<>());
    }

    private void closeScope() {
        Map<String, Sym> s = scopes.pop();
        for (Map.Entry<String, Sym> e : s.entrySet()) {
            if (e.getValue() instanceof VarSym v && v.var().storage() instanceof Storage.Local) {
                closedLocals.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(v.var());
            }
        }
    }

    // ------------------------------------------------------------------ names

    private Sym lookup(String name, SourcePosition pos) {
        for (Map<String, Sym> s : scopes) {
            Sym sym = s.get(name);
            if (sym != null) {
                return sym;
            }
        }
        String qualified = stripNamespaces(name);
        if (qualified.contains("::")) {
            String cls = qualified.substring(0, qualified.lastIndexOf("::"));
            Model.ClassInfo c = model.classes.get(cls);
            if (c != null) {
                return member(c, qualified.substring(qualified.lastIndexOf("::") + 2), pos);
            }
        }
        if (name.equals("this") && owner != null) {
            return new InstanceSym(owner);
        }
        if (owner != null && owner.members.containsKey(name)) {
            return member(owner, name, pos);
        }
        Model.Member g = model.globals.get(qualified);
        if (g instanceof Model.Constant) {
            return new ConstSym(model.constant(null, qualified));
        }
        if (g instanceof Model.Opaque o) {
            return new OpaqueSym(o.what());
        }
        Expr c = Intrinsics.constant(qualified);
        if (c != null) {
            return new ConstSym(c);
        }
        return null;
    }

    private Sym member(Model.ClassInfo c, String name, SourcePosition pos) {
        Model.Member m = c.members.get(name);
        if (m == null) {
            throw new InputException(pos, "class " + c.name + " has no member " + name);
        }
        if (m instanceof Model.Stored s) {
            return new VarSym(s.var());
        }
        if (m instanceof Model.Constant) {
            return new ConstSym(model.constant(c, name));
        }
        if (m instanceof Model.Vector v) {
            return new VectorSym(v.data(), v.size());
        }
        if (m instanceof Model.Instance i) {
            return new InstanceSym(model.classes.get(i.className()));
        }
        return new OpaqueSym(((Model.Opaque) m).what());
    }

    private String stripNamespaces(String name) {
        String n = name.startsWith("::") ? name.substring(2) : name;
        while (n.contains("::")) {
            String first = n.substring(0, n.indexOf("::"));
            if (first.equals("std") || model.namespaces.contains(first)) {
                n = n.substring(first.length() + 2);
            } else {
                break;
            }
        }
        return n;
    }

    /** The object an expression designates ({@code pars}, {@code this}, {@code slha}, a vector), or null. */
    private Sym object(Syntax.Expr e, SourcePosition pos) {
        if (e instanceof Syntax.Name n) {
            return lookup(n.name(), pos);
        }
        if (e instanceof Syntax.Unary u && u.op().equals("*")) {
            Sym s = object(u.operand(), pos);
            return s instanceof InstanceSym ? s : null;
        }
        if (e instanceof Syntax.Member m) {
            Sym o = object(m.object(), pos);
            if (o instanceof InstanceSym i) {
                return member(i.cls(), m.member(), pos);
            }
        }
        return null;
    }

    private static String describe(Sym s) {
        if (s instanceof OpaqueSym o) {
            return o.what();
        }
        if (s instanceof InstanceSym i) {
            return "object of class " + i.cls().name;
        }
        if (s instanceof CardReaderSym) {
            return "the card reader";
        }
        return "vector";
    }

    // ------------------------------------------------------------------ statements

    private void statements(Syntax.Stmt s, List<Stmt> out) {
        if (s instanceof Syntax.Block b) {
            openScope();
            for (Syntax.Stmt x : b.body()) {
                statement(x, out);
            }
            closeScope();
        } else if (s != null) {
            openScope();
            statement(s, out);
            closeScope();
        }
    }

    private void statement(Syntax.Stmt s, List<Stmt> out) {
        SourcePosition pos = s.pos();
        if (s instanceof Syntax.Block) {
            statements(s, out);
        } else if (s instanceof Syntax.Decl d) {
            for (Syntax.Declarator x : d.declarators()) {
                declare(d.specifiers(), x, out);
            }
        } else if (s instanceof Syntax.ExprStmt e) {
            expressionStatement(e.expr(), out, pos);
        } else if (s instanceof Syntax.If i) {
            Expr cond = condition(i.condition(), out, pos);
            List<Stmt> then = new ArrayList<>();
            List<Stmt> otherwise = new ArrayList<>();
            branchDepth++;
            statements(i.then(), then);
            statements(i.otherwise(), otherwise);
            branchDepth--;
            if (cond instanceof Expr.LogicalConst c) {
                out.addAll(c.value() ? then : otherwise);
            } else {
                out.add(new Stmt.If(pos, cond, then, otherwise));
            }
        } else if (s instanceof Syntax.For f) {
            forLoop(f, out);
        } else if (s instanceof Syntax.While w) {
            branchDepth++;
            List<Stmt> body = new ArrayList<>();
            out.add(loop(w.condition(), body, pos, () -> statements(w.body(), body)));
            branchDepth--;
        } else if (s instanceof Syntax.DoWhile w) {
            if (SyntaxWalk.continuesLoop(w.body())) {
                throw new UnsupportedConstructException(pos, "'continue' in a do-while loop");
            }
            branchDepth++;
            List<Stmt> body = new ArrayList<>();
            statements(w.body(), body);
            Expr cond = condition(w.condition(), body, pos);
            body.add(new Stmt.If(pos, not(cond), List.of(new Stmt.Exit(pos)), List.of()));
            branchDepth--;
            out.add(new Stmt.While(pos, null, body));
        } else if (s instanceof Syntax.Return r) {
            if (r.value() != null) {
                if (result == null) {
                    throw new InputException(pos, "return with a value in a void function");
                }
                Expr v = expr(r.value(), out, pos);
                out.add(new Stmt.Assign(pos, new Expr.Ref(result), assignable(v, result.type(), pos)));
            }
            out.add(new Stmt.Return(pos));
        } else if (s instanceof Syntax.Break) {
            out.add(new Stmt.Exit(pos));
        } else if (s instanceof Syntax.Continue) {
            out.add(new Stmt.Cycle(pos));
        } else if (s instanceof Syntax.Empty) {
            return;
        } else if (s instanceof Syntax.Unsupported u) {
            throw new UnsupportedConstructException(pos, u.what());
        } else {
            throw new UnsupportedConstructException(pos, "statement " + s.getClass().getSimpleName());
        }
    }

    /** A loop on {@code cond} (checked before each trip) whose body {@code fill} lowers into {@code body}. */
    private Stmt loop(Syntax.Expr cond, List<Stmt> body, SourcePosition pos, Runnable fill) {
        List<Stmt> pre = new ArrayList<>();
        Expr c = cond == null ? null : condition(cond, pre, pos);
        if (pre.isEmpty()) {
            fill.run();
            return new Stmt.While(pos, c, body);
        }
        body.addAll(pre);
        body.add(new Stmt.If(pos, not(c), List.of(new Stmt.Exit(pos)), List.of()));
        fill.run();
        return new Stmt.While(pos, null, body);
    }

    private void forLoop(Syntax.For f, List<Stmt> out) {
        SourcePosition pos = f.pos();
        openScope();
        // A counted loop takes its start value from the init statement, so that is not lowered separately.
        String var = null;
        Syntax.Expr start = null;
        if (f.init() instanceof Syntax.Decl d && d.declarators().size() == 1 && !d.specifiers().isStatic()
                && d.declarators().get(0).init() != null && !(d.declarators().get(0).init() instanceof Syntax.BraceList)
                && d.declarators().get(0).dims().isEmpty()) {
            Syntax.Declarator x = d.declarators().get(0);
            declare(d.specifiers(), new Syntax.Declarator(x.name(), x.type(), x.dims(), null, null, x.pos()), out);
            var = x.name();
            start = x.init();
        } else if (f.init() instanceof Syntax.ExprStmt e && e.expr() instanceof Syntax.Assign a && a.op().equals("=")
                && a.target() instanceof Syntax.Name n) {
            var = n.name();
            start = a.value();
        } else if (f.init() != null) {
            statement(f.init(), out);
        }
        branchDepth++;
        Stmt.Do counted = var == null ? null : countedLoop(f, var, start, out);
        if (counted != null) {
            out.add(counted);
        } else {
            if (start != null) {
                assignment(new Syntax.Assign("=", new Syntax.Name(var), start), out, pos);
            }
            if (f.step() != null && SyntaxWalk.continuesLoop(f.body())) {
                throw new UnsupportedConstructException(pos, "'continue' in a for loop that is not a counted loop");
            }
            List<Stmt> body = new ArrayList<>();
            out.add(loop(f.condition(), body, pos, () -> {
                statements(f.body(), body);
                if (f.step() != null) {
                    expressionStatement(f.step(), body, pos);
                }
            }));
        }
        branchDepth--;
        closeScope();
    }

    /**
     * {@code for (i = a; i < b; i++)} and its variants become a counted DO loop when C++'s
     * re-evaluated condition is equivalent to a trip count fixed on entry: the body does not modify
     * the counter or the bound, and the bound calls nothing. Returns null (having emitted nothing)
     * for any other loop.
     */
    private Stmt.Do countedLoop(Syntax.For f, String var, Syntax.Expr start, List<Stmt> out) {
        SourcePosition pos = f.pos();
        if (!(f.condition() instanceof Syntax.Binary cond) || !(cond.left() instanceof Syntax.Name cv)
                || !cv.name().equals(var) || f.step() == null) {
            return null;
        }
        Sym sym = lookup(var, pos);
        if (!(sym instanceof VarSym vs) || vs.var().type() != Type.INT || vs.var().isArray()
                || !(vs.var().storage() instanceof Storage.Local)) {
            return null;
        }
        Long step = stepOf(f.step(), var);
        if (step == null || step == 0) {
            return null;
        }
        Set<String> bodyModifies = modifiedNames(f.body());
        if (bodyModifies.contains(var) || !invariant(cond.right(), bodyModifies, pos)) {
            return null;
        }
        Expr bound = expr(cond.right(), null, pos);
        if (bound.type() != Type.INT) {
            return null;
        }
        Expr end;
        switch (cond.op()) {
            case "<" -> end = step > 0 ? fold(new Expr.Binary(Op.Binary.SUB, bound, new Expr.IntConst(1), Type.INT)) : null;
            case "<=" -> end = step > 0 ? bound : null;
            case ">" -> end = step < 0 ? fold(new Expr.Binary(Op.Binary.ADD, bound, new Expr.IntConst(1), Type.INT)) : null;
            case ">=" -> end = step < 0 ? bound : null;
            default -> end = null;
        }
        if (end == null) {
            return null;
        }
        Expr first = start == null ? new Expr.Ref(vs.var()) : assignable(expr(start, out, pos), Type.INT, pos);
        List<Stmt> body = new ArrayList<>();
        statements(f.body(), body);
        return new Stmt.Do(pos, vs.var(), first, end, new Expr.IntConst(step), body);
    }

    private static Long stepOf(Syntax.Expr step, String var) {
        if (step instanceof Syntax.Postfix p && p.operand() instanceof Syntax.Name n && n.name().equals(var)) {
            return p.op().equals("++") ? 1L : -1L;
        }
        if (step instanceof Syntax.Unary u && u.operand() instanceof Syntax.Name n && n.name().equals(var)
                && (u.op().equals("++pre") || u.op().equals("--pre"))) {
            return u.op().equals("++pre") ? 1L : -1L;
        }
        if (step instanceof Syntax.Assign a && a.target() instanceof Syntax.Name n && n.name().equals(var)
                && a.value() instanceof Syntax.IntLit k && (a.op().equals("+=") || a.op().equals("-="))) {
            return a.op().equals("+=") ? k.value() : -k.value();
        }
        return null;
    }

    /** True when {@code e} has the same value on every trip: constants and locals the body does not modify. */
    private boolean invariant(Syntax.Expr e, Set<String> bodyModifies, SourcePosition pos) {
        boolean[] ok = {true};
        SyntaxWalk.expression(e, x -> {
            if (x instanceof Syntax.Name n) {
                Sym s = lookup(n.name(), pos);
                if (s instanceof ConstSym) {
                    return;
                }
                if (!(s instanceof VarSym v) || bodyModifies.contains(n.name())
                        || !(v.var().storage() instanceof Storage.Local || v.var().storage() instanceof Storage.Saved
                        || valueParams.contains(v.var()))) {
                    ok[0] = false;
                }
            } else if (!(x instanceof Syntax.IntLit || x instanceof Syntax.Binary || x instanceof Syntax.Unary u && u.op().equals("-"))) {
                ok[0] = false;
            }
        });
        return ok[0];
    }

    // ------------------------------------------------------------------ declarations

    private void declare(Syntax.Specifiers spec, Syntax.Declarator d, List<Stmt> out) {
        SourcePosition pos = d.pos();
        Syntax.TypeName t = d.type();
        String name = d.name();
        if (Types.isCardReader(t)) {
            scopes.peek().put(name, new CardReaderSym());
            return;
        }
        if (Types.isString(t)) {
            scopes.peek().put(name, new OpaqueSym("string " + name));
            return;
        }
        if (model.classes.containsKey(t.simpleBase()) && t.pointers() == 1 && d.dims().isEmpty()) {
            scopes.peek().put(name, new InstanceSym(model.classes.get(t.simpleBase())));
            return;
        }
        if (Types.isVector(t)) {
            vectorDeclaration(d, out);
            return;
        }
        Type type = Types.scalar(new Syntax.TypeName(t.base(), t.args(), false, 0, false), pos);
        if (type == null) {
            throw new UnsupportedConstructException(pos, "variable " + name + " of type " + t);
        }
        if (t.pointers() > 0 || t.reference()) {
            if (d.init() != null || d.ctorArgs() != null) {
                throw new UnsupportedConstructException(pos, "pointer or reference variable " + name);
            }
            scopes.peek().put(name, new OpaqueSym("pointer variable " + name));
            return;
        }
        if (d.ctorArgs() != null) {
            if (d.ctorArgs().size() != 1 || !d.dims().isEmpty()) {
                throw new UnsupportedConstructException(pos, "constructor-style initialisation of " + name);
            }
        }
        Syntax.Expr init = d.init() != null ? d.init() : d.ctorArgs() != null ? d.ctorArgs().get(0) : null;
        List<Integer> cppDims = new ArrayList<>();
        for (int i = 0; i < d.dims().size(); i++) {
            Syntax.Expr e = d.dims().get(i);
            if (e == null) {
                if (i != 0 || !(init instanceof Syntax.BraceList b)) {
                    throw new InputException(pos, "array " + name + " without a size");
                }
                cppDims.add(b.items().size());
            } else {
                cppDims.add(Model.intValue(ConstantFolder.fold(expr(e, null, pos), pos), pos));
            }
        }
        boolean neverModified = !modified.contains(name);
        boolean isStatic = spec.isStatic();
        if (cppDims.isEmpty() && init != null && !(init instanceof Syntax.BraceList) && (spec.isConst() || isStatic && neverModified)) {
            List<Stmt> pre = isStatic ? null : new ArrayList<>();
            Expr value = expr(init, pre, pos);
            Expr v = ConstantFolder.tryFold(value);
            if (v != null) {
                // A constant: C++ guarantees (const) or the function shows (static, never written) that it never changes.
                scopes.peek().put(name, new ConstSym(convertConstant(v, type, pos)));
                return;
            }
            if (isStatic) {
                throw new UnsupportedConstructException(pos, "static variable " + name + " with a non-constant initializer");
            }
            // A const computed at run time: a local set where it is declared.
            Variable local = newLocal(name, type, List.of(), pos);
            scopes.peek().put(name, new VarSym(local));
            out.addAll(pre);
            out.add(new Stmt.Assign(pos, new Expr.Ref(local), assignable(value, type, pos)));
            return;
        }
        if (isStatic || spec.isConst() && init instanceof Syntax.BraceList b && constantItems(b, pos)) {
            if (isStatic && !spec.isConst() && !cppDims.isEmpty()) {
                // MadGraph's helicity bookkeeping writes igood[ngood] after incrementing ngood, one element past
                // the end when every helicity contributes; in C++ that lands in neighbouring static storage.
                // One guard element keeps that write harmless here too.
                cppDims.set(0, cppDims.get(0) + 1);
            }
            Variable v = new Variable(unique(name), type, Types.irDims(cppDims), new Storage.Saved(), pos);
            locals.add(v);
            scopes.peek().put(name, new VarSym(v));
            staticInit(v, cppDims, init, pos);
            return;
        }
        Variable v = newLocal(name, type, Types.irDims(cppDims), pos);
        scopes.peek().put(name, new VarSym(v));
        if (init == null) {
            return;
        }
        if (cppDims.isEmpty()) {
            if (init instanceof Syntax.BraceList b) {
                if (b.items().size() > 1) {
                    throw new InputException(pos, "too many initializers for " + name);
                }
                init = b.items().isEmpty() ? new Syntax.IntLit(0) : b.items().get(0);
            }
            Expr value = expr(init, out, pos);
            out.add(new Stmt.Assign(pos, new Expr.Ref(v), assignable(value, type, pos)));
            return;
        }
        if (!(init instanceof Syntax.BraceList b)) {
            throw new UnsupportedConstructException(pos, "array " + name + " initialised from an expression");
        }
        Syntax.Expr[] flat = flatten(b, cppDims, pos);
        for (int k = 0; k < flat.length; k++) {
            Expr value = flat[k] == null ? zero(type) : expr(flat[k], out, pos);
            out.add(new Stmt.Assign(pos, element(v, k), assignable(value, type, pos)));
        }
    }

    /** DATA for class member {@code v} (COMMON storage) from its initializer, evaluated in the scope of {@code owner}. */
    static List<DataInit> initialValues(Model model, Model.ClassInfo owner, Variable v, Syntax.Expr init, SourcePosition pos) {
        Lowering l = new Lowering(model, owner, null);
        List<Integer> cppDims = new ArrayList<>();
        for (int k = v.dims().size() - 1; k >= 0; k--) {
            cppDims.add(v.dims().get(k).extent());
        }
        l.staticInit(v, cppDims, init, pos);
        return l.data;
    }

    /** Initial values of a static (or constant) variable: its DATA; C++ zero-initialises what the initializer leaves out. */
    private void staticInit(Variable v, List<Integer> cppDims, Syntax.Expr init, SourcePosition pos) {
        int size = Math.max(v.size(), 1);
        Syntax.Expr[] flat;
        if (init == null) {
            flat = new Syntax.Expr[size];
        } else if (init instanceof Syntax.BraceList b) {
            flat = Arrays.copyOf(cppDims.isEmpty() ? flatten(b, List.of(1), pos) : flatten(b, cppDims, pos), size);
        } else if (cppDims.isEmpty()) {
            flat = new Syntax.Expr[]{init};
        } else {
            throw new UnsupportedConstructException(pos, "array " + v.name() + " initialised from an expression");
        }
        for (int k = 0; k < size; k++) {
            Expr value = flat[k] == null ? zero(v.type()) : ConstantFolder.tryFold(expr(flat[k], null, pos));
            if (value == null) {
                throw new UnsupportedConstructException(pos, "static variable " + v.name() + " with a non-constant initializer");
            }
            data.add(new DataInit(v, k, convertConstant(value, v.type(), pos)));
        }
    }

    /**
     * The initializer of an array in row-major element order (C++'s, and also the IR's column-major
     * order of the reversed bounds); null where C++ zero-initialises. Braces may be elided.
     */
    private static Syntax.Expr[] flatten(Syntax.BraceList b, List<Integer> cppDims, SourcePosition pos) {
        int total = 1;
        for (int n : cppDims) {
            total *= n;
        }
        Syntax.Expr[] flat = new Syntax.Expr[total];
        int end = fill(b, cppDims, 0, 0, flat, pos);
        if (end > total) {
            throw new InputException(pos, "too many initializers");
        }
        return flat;
    }

    private boolean constantItems(Syntax.BraceList b, SourcePosition pos) {
        for (Syntax.Expr e : b.items()) {
            boolean ok;
            try {
                ok = e instanceof Syntax.BraceList sub ? constantItems(sub, pos) : ConstantFolder.tryFold(expr(e, null, pos)) != null;
            } catch (RuntimeException ex) {
                ok = false;
            }
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Fills the aggregate of level {@code level} starting at {@code offset}; returns the offset after it. */
    private static int fill(Syntax.BraceList b, List<Integer> dims, int level, int offset, Syntax.Expr[] flat, SourcePosition pos) {
        int stride = 1;
        for (int i = level + 1; i < dims.size(); i++) {
            stride *= dims.get(i);
        }
        int cursor = offset;
        int limit = offset + stride * dims.get(level);
        for (Syntax.Expr item : b.items()) {
            if (item instanceof Syntax.BraceList sub) {
                if (level + 1 >= dims.size()) {
                    if (sub.items().size() != 1 || sub.items().get(0) instanceof Syntax.BraceList) {
                        throw new InputException(pos, "too many braces in an initializer");
                    }
                    item = sub.items().get(0);
                } else {
                    cursor = offset + ((cursor - offset + stride - 1) / stride) * stride;
                    if (cursor >= limit) {
                        throw new InputException(pos, "too many initializers");
                    }
                    fill(sub, dims, level + 1, cursor, flat, pos);
                    cursor += stride;
                    continue;
                }
            }
            if (cursor >= limit) {
                throw new InputException(pos, "too many initializers");
            }
            flat[cursor++] = item;
        }
        return Math.max(cursor, offset + stride * dims.get(level));
    }

    private void vectorDeclaration(Syntax.Declarator d, List<Stmt> out) {
        SourcePosition pos = d.pos();
        Syntax.TypeName elem = d.type().args().get(0);
        Type type = elem.pointers() == 0 ? Types.scalar(elem, pos) : null;
        if (type == null || d.type().pointers() > 0 || d.type().reference() || !d.dims().isEmpty()
                || d.ctorArgs() == null || d.ctorArgs().isEmpty() || d.ctorArgs().size() > 2) {
            throw new UnsupportedConstructException(pos, "vector variable " + d.name() + " (only std::vector<T> v(n) or v(n, value))");
        }
        int n = Model.intValue(ConstantFolder.fold(expr(d.ctorArgs().get(0), null, pos), pos), pos);
        Variable v = newLocal(d.name(), type, Types.irDims(List.of(n)), pos);
        scopes.peek().put(d.name(), new VectorSym(v, null));
        Expr value = d.ctorArgs().size() == 2 ? assignable(expr(d.ctorArgs().get(1), out, pos), type, pos) : zero(type);
        for (int k = 0; k < n; k++) {
            out.add(new Stmt.Assign(pos, element(v, k), value));
        }
        Expr folded = ConstantFolder.tryFold(value);
        if (type == Type.INT && folded instanceof Expr.IntConst c && branchDepth == 0) {
            long[] known = new long[n];
            Arrays.fill(known, c.value());
            knownInts.put(v, known);
        } else {
            knownInts.remove(v);
        }
    }

    /** Element {@code k} (row-major) of array {@code v}. */
    private static Expr.Element element(Variable v, int k) {
        List<Expr> idx = new ArrayList<>();
        int rest = k;
        for (Dim d : v.dims()) {
            int extent = d.extent() == null ? Integer.MAX_VALUE : d.extent();
            idx.add(new Expr.IntConst(d.lower() + rest % extent));
            rest /= extent;
        }
        return new Expr.Element(v, idx);
    }

    // ------------------------------------------------------------------ expression statements

    private void expressionStatement(Syntax.Expr e, List<Stmt> out, SourcePosition pos) {
        if (e instanceof Syntax.Assign a) {
            assignment(a, out, pos);
        } else if (e instanceof Syntax.Postfix p) {
            increment(p.operand(), p.op().equals("++") ? Op.Binary.ADD : Op.Binary.SUB, out, pos);
        } else if (e instanceof Syntax.Unary u && (u.op().equals("++pre") || u.op().equals("--pre"))) {
            increment(u.operand(), u.op().equals("++pre") ? Op.Binary.ADD : Op.Binary.SUB, out, pos);
        } else if (e instanceof Syntax.Call c) {
            call(c, out, pos, false);
        } else if (isStreamOutput(e)) {
            // Printing is not part of |M|^2.
            return;
        } else {
            expr(e, out, pos);
        }
    }

    private static boolean isStreamOutput(Syntax.Expr e) {
        while (e instanceof Syntax.Binary b && b.op().equals("<<")) {
            e = b.left();
        }
        return e instanceof Syntax.Name n && Intrinsics.isOutputStream(n.name());
    }

    private void increment(Syntax.Expr target, Op.Binary op, List<Stmt> out, SourcePosition pos) {
        Expr lv = lvalue(target, out, pos);
        if (!lv.type().isNumeric()) {
            throw new UnsupportedConstructException(pos, "increment of a " + lv.type() + " value");
        }
        forget(lv);
        out.add(new Stmt.Assign(pos, lv, assignable(arith(op, lv, new Expr.IntConst(1), pos), lv.type(), pos)));
    }

    private void assignment(Syntax.Assign a, List<Stmt> out, SourcePosition pos) {
        Sym targetObject = a.target() instanceof Syntax.Name || a.target() instanceof Syntax.Member ? object(a.target(), pos) : null;
        if (targetObject instanceof InstanceSym && a.op().equals("=")) {
            // Pointers to the model's objects: each class has one object, so nothing to record.
            return;
        }
        if (a.value() instanceof Syntax.New) {
            String root = SyntaxWalk.rootName(a.target());
            Sym s = root == null ? null : lookup(root, pos);
            if (a.op().equals("=") && s instanceof VarSym v && v.var().storage() instanceof Storage.Common) {
                // The member was laid out with room for its largest 'new T[n]'.
                return;
            }
            throw new UnsupportedConstructException(pos, "'new' outside the allocation of a member array");
        }
        if (a.op().equals("=") && a.value() instanceof Syntax.Call c && c.callee() instanceof Syntax.Member m
                && object(m.object(), pos) instanceof CardReaderSym) {
            Expr lv = lvalue(a.target(), out, pos);
            String card = a.target() instanceof Syntax.Name n ? n.name() : null;
            out.add(new Stmt.ParamInput(pos, lv, cardRead(c, m, card, pos).index()));
            forget(lv);
            return;
        }
        Expr lv = lvalue(a.target(), out, pos);
        Expr value;
        if (a.op().equals("=")) {
            value = expr(a.value(), out, pos);
        } else {
            Expr r = expr(a.value(), out, pos);
            String op = a.op().substring(0, a.op().length() - 1);
            value = switch (op) {
                case "+" -> arith(Op.Binary.ADD, lv, r, pos);
                case "-" -> arith(Op.Binary.SUB, lv, r, pos);
                case "*" -> arith(Op.Binary.MUL, lv, r, pos);
                case "/" -> arith(Op.Binary.DIV, lv, r, pos);
                case "%" -> modulo(lv, r, pos);
                default -> throw new UnsupportedConstructException(pos, "operator " + a.op());
            };
        }
        Expr stored = assignable(value, lv.type(), pos);
        remember(lv, stored);
        out.add(new Stmt.Assign(pos, lv, stored));
    }

    /** Tracks constant elements of integer arrays written in straight-line code (for the card reader's index vectors). */
    private void remember(Expr lv, Expr value) {
        if (lv instanceof Expr.Element el && knownInts.containsKey(el.var())) {
            if (branchDepth == 0 && value instanceof Expr.IntConst c && el.indices().size() == 1 && el.indices().get(0) instanceof Expr.IntConst i
                    && i.value() >= 0 && i.value() < knownInts.get(el.var()).length) {
                knownInts.get(el.var())[(int) i.value()] = c.value();
            } else {
                knownInts.remove(el.var());
            }
        }
    }

    private void forget(Expr lv) {
        if (lv instanceof Expr.Element el) {
            knownInts.remove(el.var());
        }
    }

    /** {@code slha.get_block_entry("block", index-or-indices, default)}: a param-card input. */
    private ExternalInput cardRead(Syntax.Call c, Syntax.Member m, String cardName, SourcePosition pos) {
        if (!m.member().equals("get_block_entry")) {
            throw new UnsupportedConstructException(pos, "card reader call " + m.member());
        }
        List<Syntax.Expr> args = c.args();
        if (args.size() < 2 || args.size() > 3 || !(args.get(0) instanceof Syntax.StringLit block)) {
            throw new UnsupportedConstructException(pos, "get_block_entry call shape (expected \"block\", index, default)");
        }
        List<Integer> indices = new ArrayList<>();
        Syntax.Expr idx = args.get(1);
        Sym vec = idx instanceof Syntax.Name n ? lookup(n.name(), pos) : null;
        if (vec instanceof VectorSym vs && vs.size() == null) {
            long[] known = knownInts.get(vs.data());
            if (known == null) {
                throw new UnsupportedConstructException(pos, "get_block_entry with indices not known at translation time");
            }
            for (long k : known) {
                indices.add((int) k);
            }
        } else {
            indices.add(Model.intValue(ConstantFolder.fold(expr(idx, null, pos), pos), pos));
        }
        double def = args.size() == 3 ? cardDefault(ConstantFolder.fold(expr(args.get(2), null, pos), pos), pos) : 0.0;
        String blockName = block.value().toUpperCase(Locale.ROOT);
        String name = cardName != null ? cardName : blockName + ":" + indices;
        return model.input(name, blockName, indices, def);
    }

    /** The default value of a param-card read, which must be a number. */
    private static double cardDefault(Expr folded, SourcePosition pos) {
        if (!(folded instanceof Expr.IntConst || folded instanceof Expr.RealConst || folded instanceof Expr.ComplexConst)) {
            throw new InputException(pos, "the default value of a param-card read is not a number");
        }
        return ConstantFolder.real(folded);
    }

    // ------------------------------------------------------------------ calls

    /**
     * Lowers a call. User functions become {@link Stmt.Call}s appended to {@code pre}, their value a
     * temporary; library functions become intrinsic expressions. Returns null for a call without a value.
     */
    private Expr call(Syntax.Call c, List<Stmt> pre, SourcePosition pos, boolean needValue) {
        if (c.callee() instanceof Syntax.Member m) {
            return memberCall(c, m, pre, pos, needValue);
        }
        if (!(c.callee() instanceof Syntax.Name n)) {
            throw new UnsupportedConstructException(pos, "call through an expression");
        }
        String name = stripNamespaces(n.name());
        if (name.contains("::")) {
            Model.ClassInfo cls = model.classes.get(name.substring(0, name.lastIndexOf("::")));
            if (cls == null) {
                throw new InputException(pos, "unknown function " + n.name());
            }
            return userCall(cls, name.substring(name.lastIndexOf("::") + 2), c.args(), pre, pos, needValue);
        }
        Sym local = lookup(name, pos);
        if (local != null && !(local instanceof ConstSym)) {
            throw new UnsupportedConstructException(pos, "call of " + name + ", which is not a function");
        }
        if (owner != null && owner.methods.containsKey(name)) {
            return userCall(owner, name, c.args(), pre, pos, needValue);
        }
        List<Syntax.Function> fns = model.functions.get(name);
        if (fns != null && !fns.isEmpty()) {
            if (fns.size() > 1) {
                throw new UnsupportedConstructException(pos, "call of overloaded function " + name);
            }
            return userCall(model.require(fns.get(0), null), c.args(), pre, pos, needValue);
        }
        if (!needValue && Intrinsics.isOutputCall(name)) {
            return null;
        }
        if (!needValue && Intrinsics.isExit(name)) {
            pre.add(new Stmt.Stop(pos));
            return null;
        }
        if (pre == null && !Intrinsics.isPure(name)) {
            throw new UnsupportedConstructException(pos, "call of " + name + " in a constant expression");
        }
        List<Expr> args = new ArrayList<>();
        for (Syntax.Expr a : c.args()) {
            args.add(expr(a, pre, pos));
        }
        Expr r = Intrinsics.apply(name, args, pos);
        if (r == null) {
            throw new InputException(pos, "unknown function " + n.name());
        }
        return fold(r);
    }

    private Expr memberCall(Syntax.Call c, Syntax.Member m, List<Stmt> pre, SourcePosition pos, boolean needValue) {
        Sym obj = object(m.object(), pos);
        if (obj instanceof InstanceSym i) {
            return userCall(i.cls(), m.member(), c.args(), pre, pos, needValue);
        }
        if (obj instanceof CardReaderSym) {
            if (pre == null) {
                throw new UnsupportedConstructException(pos, "card read in a constant expression");
            }
            Variable t = temp("card", Type.REAL, pos);
            pre.add(new Stmt.ParamInput(pos, new Expr.Ref(t), cardRead(c, m, null, pos).index()));
            return new Expr.Ref(t);
        }
        if (obj instanceof VectorSym v) {
            return vectorCall(v, m.member(), c.args(), pre, pos);
        }
        if (obj instanceof OpaqueSym o) {
            throw new UnsupportedConstructException(pos, "use of " + o.what());
        }
        if ((m.member().equals("real") || m.member().equals("imag")) && c.args().isEmpty() && !m.arrow()) {
            Expr z = expr(m.object(), pre, pos);
            return fold(Intrinsics.apply(m.member(), List.of(z), pos));
        }
        throw new UnsupportedConstructException(pos, "member function call ." + m.member() + "()");
    }

    private Expr vectorCall(VectorSym v, String method, List<Syntax.Expr> args, List<Stmt> pre, SourcePosition pos) {
        switch (method) {
            case "push_back": {
                if (v.size() == null || args.size() != 1 || pre == null) {
                    throw new UnsupportedConstructException(pos, "push_back on a local vector");
                }
                if (branchDepth > 0) {
                    throw new UnsupportedConstructException(pos, "push_back inside a loop or condition (the vector's size must be known)");
                }
                Expr value = assignable(expr(args.get(0), pre, pos), v.data().type(), pos);
                pre.add(new Stmt.Assign(pos, new Expr.Element(v.data(), List.of(new Expr.Ref(v.size()))), value));
                pre.add(new Stmt.Assign(pos, new Expr.Ref(v.size()),
                        new Expr.Binary(Op.Binary.ADD, new Expr.Ref(v.size()), new Expr.IntConst(1), Type.INT)));
                return null;
            }
            case "size":
                if (!args.isEmpty()) {
                    break;
                }
                return v.size() == null ? new Expr.IntConst(v.data().size()) : new Expr.Ref(v.size());
            default:
                break;
        }
        throw new UnsupportedConstructException(pos, "vector operation " + method);
    }

    private Expr userCall(Model.ClassInfo cls, String method, List<Syntax.Expr> args, List<Stmt> pre, SourcePosition pos, boolean needValue) {
        if (cls.overloaded.contains(method)) {
            throw new UnsupportedConstructException(pos, "call of overloaded member function " + cls.name + "::" + method);
        }
        Syntax.Function f = cls.methods.get(method);
        if (f == null) {
            throw new InputException(pos, "class " + cls.name + " has no member function " + method);
        }
        return userCall(model.require(f, cls), args, pre, pos, needValue);
    }

    private Expr userCall(Model.Callee target, List<Syntax.Expr> args, List<Stmt> pre, SourcePosition pos, boolean needValue) {
        if (pre == null) {
            throw new UnsupportedConstructException(pos, "call of " + target.fn().qualifiedName() + " in a constant expression");
        }
        if (args.size() != target.params().size()) {
            throw new UnsupportedConstructException(pos, "call of " + target.fn().qualifiedName() + " with " + args.size()
                    + " arguments (it takes " + target.params().size() + "; default arguments are not supported)");
        }
        List<Expr> actuals = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            Model.ParamPlan p = target.params().get(i);
            Syntax.Expr a = args.get(i);
            switch (p.kind()) {
                case DROPPED -> {
                    Sym s = object(a, pos);
                    boolean ok = switch (p.dropped()) {
                        case CARD_READER -> s instanceof CardReaderSym;
                        case STRING -> a instanceof Syntax.StringLit || s instanceof OpaqueSym;
                        case OBJECT -> s instanceof InstanceSym;
                    };
                    if (!ok) {
                        throw new UnsupportedConstructException(pos, "argument " + (i + 1) + " of " + target.fn().qualifiedName()
                                + " (expected " + p.dropped().description + ")");
                    }
                }
                case ARRAY -> actuals.add(arrayArgument(a, p.type(), pre, pos));
                case REF -> {
                    Expr lv = lvalueOrNull(a, pre, pos);
                    if (lv != null && lv.type() == p.type()) {
                        forget(lv);
                        actuals.add(lv);
                    } else if (p.param().type().isConst()) {
                        actuals.add(assignable(expr(a, pre, pos), p.type(), pos));
                    } else {
                        throw new InputException(pos, "argument " + (i + 1) + " of " + target.fn().qualifiedName() + " must be a " + p.type() + " variable");
                    }
                }
                case VALUE -> actuals.add(assignable(expr(a, pre, pos), p.type(), pos));
            }
        }
        Expr value = null;
        if (target.result() != null) {
            Variable t = temp(target.fn().name(), target.result(), pos);
            value = new Expr.Ref(t);
        } else if (needValue) {
            throw new InputException(pos, "void function " + target.fn().qualifiedName() + " used as a value");
        }
        pre.add(new Stmt.Call(pos, target.irName(), actuals, value));
        return value;
    }

    /** An argument for an array (pointer) parameter: an array, a row or element of one ({@code w[3]}, {@code &w[3][0]}), or {@code &x}. */
    private Expr arrayArgument(Syntax.Expr a, Type type, List<Stmt> pre, SourcePosition pos) {
        Syntax.Expr e = a instanceof Syntax.Unary u && u.op().equals("&") ? u.operand() : a;
        Expr r;
        Sym s = e instanceof Syntax.Name || e instanceof Syntax.Member ? object(e, pos) : null;
        if (s instanceof VarSym v) {
            r = new Expr.Ref(v.var());
        } else if (s instanceof VectorSym v) {
            r = new Expr.Ref(v.data());
        } else if (e instanceof Syntax.Index) {
            r = access(e, pre, pos, true);
        } else {
            throw new UnsupportedConstructException(pos, "argument for an array parameter (expected an array, a row or &element)");
        }
        if (r.type() != type) {
            throw new InputException(pos, "array argument of type " + r.type() + " where " + type + " is expected");
        }
        if (r instanceof Expr.Element el) {
            knownInts.remove(el.var());
        } else {
            knownInts.remove(((Expr.Ref) r).var());
        }
        return r;
    }

    // ------------------------------------------------------------------ lvalues and element access

    private Expr lvalue(Syntax.Expr e, List<Stmt> pre, SourcePosition pos) {
        Expr lv = lvalueOrNull(e, pre, pos);
        if (lv == null) {
            throw new InputException(pos, "cannot assign to this expression");
        }
        return lv;
    }

    private Expr lvalueOrNull(Syntax.Expr e, List<Stmt> pre, SourcePosition pos) {
        if (e instanceof Syntax.Name || e instanceof Syntax.Member) {
            Sym s = object(e, pos);
            if (s == null && e instanceof Syntax.Name n && lookup(n.name(), pos) == null) {
                throw new InputException(pos, "unknown name " + n.name());
            }
            if (s instanceof VarSym v) {
                if (v.var().isArray()) {
                    throw new UnsupportedConstructException(pos, "whole array " + v.var().name() + " used as a value");
                }
                return new Expr.Ref(v.var());
            }
            if (s instanceof OpaqueSym o) {
                throw new UnsupportedConstructException(pos, "use of " + o.what());
            }
            return null;
        }
        if (e instanceof Syntax.Index) {
            return access(e, pre, pos, false);
        }
        if (e instanceof Syntax.Unary u && u.op().equals("*")) {
            Sym s = object(u.operand(), pos);
            if (s instanceof VarSym v && v.var().isArray()) {
                return firstElement(v.var());
            }
            throw new UnsupportedConstructException(pos, "dereference of this expression");
        }
        return null;
    }

    private static Expr.Element firstElement(Variable v) {
        List<Expr> idx = new ArrayList<>();
        for (Dim d : v.dims()) {
            idx.add(new Expr.IntConst(d.lower()));
        }
        return new Expr.Element(v, idx);
    }

    /**
     * {@code a[i][j]…}: an element, or with {@code partial} (an argument for an array parameter) a
     * row, which addresses like its first element.
     */
    private Expr.Element access(Syntax.Expr e, List<Stmt> pre, SourcePosition pos, boolean partial) {
        List<Syntax.Expr> cppIndices = new ArrayList<>();
        while (e instanceof Syntax.Index i) {
            cppIndices.add(0, i.index());
            e = i.array();
        }
        Sym s = e instanceof Syntax.Name || e instanceof Syntax.Member || e instanceof Syntax.Unary ? object(e, pos) : null;
        Variable v;
        if (s instanceof VarSym vs) {
            v = vs.var();
        } else if (s instanceof VectorSym vec) {
            v = vec.data();
        } else if (s instanceof OpaqueSym o) {
            throw new UnsupportedConstructException(pos, "use of " + o.what());
        } else if (s == null && e instanceof Syntax.Name n && lookup(n.name(), pos) == null) {
            throw new InputException(pos, "unknown name " + n.name());
        } else {
            throw new UnsupportedConstructException(pos, "indexing of this expression");
        }
        int rank = v.dims().size();
        if (cppIndices.size() > rank || cppIndices.size() < rank && !partial) {
            throw new InputException(pos, v.name() + " has " + rank + " dimensions but is used with " + cppIndices.size() + " indices");
        }
        List<Expr> idx = new ArrayList<>();
        for (int k = 0; k < rank; k++) {
            // IR dimension k is C++ dimension rank-1-k.
            int cppDim = rank - 1 - k;
            if (cppDim < cppIndices.size()) {
                Expr x = expr(cppIndices.get(cppDim), pre, pos);
                if (x.type() != Type.INT) {
                    throw new InputException(pos, "array index of " + v.name() + " is not an integer");
                }
                idx.add(x);
            } else {
                idx.add(new Expr.IntConst(v.dims().get(k).lower()));
            }
        }
        return new Expr.Element(v, idx);
    }

    // ------------------------------------------------------------------ expressions

    private Expr condition(Syntax.Expr e, List<Stmt> pre, SourcePosition pos) {
        return toBool(expr(e, pre, pos), pos);
    }

    /** Lowers an expression; calls are hoisted into {@code pre} (null in a constant expression, where none may occur). */
    private Expr expr(Syntax.Expr e, List<Stmt> pre, SourcePosition pos) {
        if (e instanceof Syntax.IntLit i) {
            return new Expr.IntConst(i.value());
        }
        if (e instanceof Syntax.FloatLit f) {
            return new Expr.RealConst(f.value(), f.single() ? Type.REAL4 : Type.REAL);
        }
        if (e instanceof Syntax.BoolLit b) {
            return new Expr.LogicalConst(b.value());
        }
        if (e instanceof Syntax.StringLit) {
            throw new UnsupportedConstructException(pos, "string value");
        }
        if (e instanceof Syntax.Name n) {
            Sym s = lookup(n.name(), pos);
            if (s == null) {
                throw new InputException(pos, "unknown name " + n.name());
            }
            return value(s, pos);
        }
        if (e instanceof Syntax.Member m) {
            Sym s = object(m, pos);
            if (s == null) {
                throw new UnsupportedConstructException(pos, "member access ." + m.member());
            }
            return value(s, pos);
        }
        if (e instanceof Syntax.Index) {
            return access(e, pre, pos, false);
        }
        if (e instanceof Syntax.Call c) {
            return call(c, pre, pos, true);
        }
        if (e instanceof Syntax.Unary u) {
            return unary(u, pre, pos);
        }
        if (e instanceof Syntax.Binary b) {
            return binary(b, pre, pos);
        }
        if (e instanceof Syntax.Conditional c) {
            return conditional(c, pre, pos);
        }
        if (e instanceof Syntax.Construct c) {
            return construct(c, pre, pos);
        }
        if (e instanceof Syntax.Assign) {
            throw new UnsupportedConstructException(pos, "assignment inside an expression");
        }
        if (e instanceof Syntax.Postfix) {
            throw new UnsupportedConstructException(pos, "increment inside an expression");
        }
        if (e instanceof Syntax.New) {
            throw new UnsupportedConstructException(pos, "'new' expression");
        }
        if (e instanceof Syntax.BraceList) {
            throw new UnsupportedConstructException(pos, "braced list in an expression");
        }
        throw new UnsupportedConstructException(pos, "expression " + e.getClass().getSimpleName());
    }

    private Expr value(Sym s, SourcePosition pos) {
        if (s instanceof ConstSym c) {
            return c.value();
        }
        if (s instanceof VarSym v) {
            if (v.var().isArray()) {
                throw new UnsupportedConstructException(pos, "array " + v.var().name() + " used as a value (pointer)");
            }
            return new Expr.Ref(v.var());
        }
        throw new UnsupportedConstructException(pos, "use of " + describe(s) + " as a value");
    }

    private Expr unary(Syntax.Unary u, List<Stmt> pre, SourcePosition pos) {
        switch (u.op()) {
            case "-": {
                Expr x = promoteBool(expr(u.operand(), pre, pos), pos);
                return fold(new Expr.Unary(Op.Unary.NEG, x, x.type()));
            }
            case "+":
                return promoteBool(expr(u.operand(), pre, pos), pos);
            case "!":
                return not(condition(u.operand(), pre, pos));
            case "*": {
                Expr lv = lvalueOrNull(u, pre, pos);
                if (lv != null) {
                    return lv;
                }
                throw new UnsupportedConstructException(pos, "dereference");
            }
            case "&":
                throw new UnsupportedConstructException(pos, "address-of (&) outside a function argument");
            case "++pre", "--pre":
                throw new UnsupportedConstructException(pos, "increment inside an expression");
            default:
                throw new UnsupportedConstructException(pos, "operator " + u.op());
        }
    }

    private Expr binary(Syntax.Binary b, List<Stmt> pre, SourcePosition pos) {
        switch (b.op()) {
            case "&&", "||":
                return logical(b, pre, pos);
            case "+", "-", "*", "/": {
                Expr l = expr(b.left(), pre, pos);
                Expr r = expr(b.right(), pre, pos);
                Op.Binary op = switch (b.op()) {
                    case "+" -> Op.Binary.ADD;
                    case "-" -> Op.Binary.SUB;
                    case "*" -> Op.Binary.MUL;
                    default -> Op.Binary.DIV;
                };
                return arith(op, l, r, pos);
            }
            case "%":
                return modulo(expr(b.left(), pre, pos), expr(b.right(), pre, pos), pos);
            case "==", "!=", "<", ">", "<=", ">=": {
                Expr l = promoteBool(expr(b.left(), pre, pos), pos);
                Expr r = promoteBool(expr(b.right(), pre, pos), pos);
                Type t = Type.promote(l.type(), r.type());
                if (t == Type.COMPLEX && !b.op().equals("==") && !b.op().equals("!=")) {
                    throw new InputException(pos, "ordering comparison of complex values");
                }
                Op.Binary op = switch (b.op()) {
                    case "==" -> Op.Binary.EQ;
                    case "!=" -> Op.Binary.NE;
                    case "<" -> Op.Binary.LT;
                    case ">" -> Op.Binary.GT;
                    case "<=" -> Op.Binary.LE;
                    default -> Op.Binary.GE;
                };
                return fold(new Expr.Binary(op, conv(l, t, pos), conv(r, t, pos), Type.LOGICAL));
            }
            default:
                throw new UnsupportedConstructException(pos, "operator " + b.op());
        }
    }

    /** {@code &&} and {@code ||} evaluate their right side only when needed; calls there stay behind the test. */
    private Expr logical(Syntax.Binary b, List<Stmt> pre, SourcePosition pos) {
        boolean and = b.op().equals("&&");
        Expr l = condition(b.left(), pre, pos);
        List<Stmt> rightPre = pre == null ? null : new ArrayList<>();
        Expr r = condition(b.right(), rightPre, pos);
        if (rightPre == null || rightPre.isEmpty()) {
            return fold(new Expr.Binary(and ? Op.Binary.AND : Op.Binary.OR, l, r, Type.LOGICAL));
        }
        Variable t = temp("cond", Type.LOGICAL, pos);
        pre.add(new Stmt.Assign(pos, new Expr.Ref(t), l));
        List<Stmt> evalRight = new ArrayList<>(rightPre);
        evalRight.add(new Stmt.Assign(pos, new Expr.Ref(t), r));
        pre.add(new Stmt.If(pos, and ? new Expr.Ref(t) : not(new Expr.Ref(t)), evalRight, List.of()));
        return new Expr.Ref(t);
    }

    private Expr conditional(Syntax.Conditional c, List<Stmt> pre, SourcePosition pos) {
        Expr cond = condition(c.condition(), pre, pos);
        List<Stmt> thenPre = pre == null ? null : new ArrayList<>();
        List<Stmt> elsePre = pre == null ? null : new ArrayList<>();
        Expr a = promoteBool(expr(c.then(), thenPre, pos), pos);
        Expr b = promoteBool(expr(c.otherwise(), elsePre, pos), pos);
        Type t = Type.promote(a.type(), b.type());
        if (cond instanceof Expr.LogicalConst k && (pre == null || (k.value() ? thenPre : elsePre).isEmpty())) {
            return conv(k.value() ? a : b, t, pos);
        }
        if (pre == null) {
            throw new UnsupportedConstructException(pos, "non-constant ?: in a constant expression");
        }
        Variable v = temp("sel", t, pos);
        thenPre.add(new Stmt.Assign(pos, new Expr.Ref(v), conv(a, t, pos)));
        elsePre.add(new Stmt.Assign(pos, new Expr.Ref(v), conv(b, t, pos)));
        pre.add(new Stmt.If(pos, cond, thenPre, elsePre));
        return new Expr.Ref(v);
    }

    private Expr construct(Syntax.Construct c, List<Stmt> pre, SourcePosition pos) {
        Type t = Types.scalar(c.type(), pos);
        if (t == null || c.type().pointers() > 0 || c.type().reference()) {
            throw new UnsupportedConstructException(pos, "construction of " + c.type());
        }
        List<Expr> args = new ArrayList<>();
        for (Syntax.Expr a : c.args()) {
            args.add(expr(a, pre, pos));
        }
        if (args.isEmpty()) {
            return zero(t);
        }
        if (t == Type.COMPLEX) {
            if (args.size() == 1) {
                return conv(args.get(0), Type.COMPLEX, pos);
            }
            if (args.size() == 2) {
                Expr re = conv(args.get(0), Type.REAL, pos);
                Expr im = conv(args.get(1), Type.REAL, pos);
                if (re.type() == Type.COMPLEX || im.type() == Type.COMPLEX) {
                    throw new InputException(pos, "complex<double>(re, im) with a complex part");
                }
                return fold(new Expr.Intrinsic(Op.Fn.CMPLX, List.of(re, im), Type.COMPLEX));
            }
        } else if (args.size() == 1) {
            if (args.get(0).type() == Type.COMPLEX) {
                throw new InputException(pos, "conversion of a complex value to " + c.type());
            }
            return t == Type.LOGICAL ? toBool(args.get(0), pos) : conv(args.get(0), t, pos);
        }
        throw new InputException(pos, "construction of " + c.type() + " from " + args.size() + " values");
    }

    // ------------------------------------------------------------------ typing

    private Expr arith(Op.Binary op, Expr l, Expr r, SourcePosition pos) {
        l = promoteBool(l, pos);
        r = promoteBool(r, pos);
        if (!l.type().isNumeric() || !r.type().isNumeric()) {
            throw new InputException(pos, "arithmetic on a non-numeric value");
        }
        Type t = Type.promote(l.type(), r.type());
        return fold(new Expr.Binary(op, conv(l, t, pos), conv(r, t, pos), t));
    }

    private Expr modulo(Expr l, Expr r, SourcePosition pos) {
        l = promoteBool(l, pos);
        r = promoteBool(r, pos);
        if (l.type() != Type.INT || r.type() != Type.INT) {
            throw new InputException(pos, "% on non-integer values");
        }
        return fold(new Expr.Intrinsic(Op.Fn.MOD, List.of(l, r), Type.INT));
    }

    /** bool in arithmetic is 0 or 1 (only constants: the IR has no bool-to-int conversion). */
    private static Expr promoteBool(Expr e, SourcePosition pos) {
        if (e.type() != Type.LOGICAL) {
            return e;
        }
        Expr c = ConstantFolder.tryFold(e);
        if (c instanceof Expr.LogicalConst b) {
            return new Expr.IntConst(b.value() ? 1 : 0);
        }
        throw new UnsupportedConstructException(pos, "bool value used as a number");
    }

    private static Expr toBool(Expr e, SourcePosition pos) {
        return switch (e.type()) {
            case LOGICAL -> e;
            case INT -> fold(new Expr.Binary(Op.Binary.NE, e, new Expr.IntConst(0), Type.LOGICAL));
            case REAL, REAL4 -> fold(new Expr.Binary(Op.Binary.NE, e, new Expr.RealConst(0, e.type()), Type.LOGICAL));
            case COMPLEX -> fold(new Expr.Binary(Op.Binary.NE, e, new Expr.ComplexConst(0, 0), Type.LOGICAL));
            default -> throw new InputException(pos, "condition of type " + e.type());
        };
    }

    private static Expr not(Expr c) {
        if (c instanceof Expr.LogicalConst b) {
            return new Expr.LogicalConst(!b.value());
        }
        if (c instanceof Expr.Unary u && u.op() == Op.Unary.NOT) {
            return u.operand();
        }
        return new Expr.Unary(Op.Unary.NOT, c, Type.LOGICAL);
    }

    /** C++'s implicit conversion of {@code e} to {@code t} (numeric types; bool from numbers). */
    private static Expr conv(Expr e, Type t, SourcePosition pos) {
        if (e.type() == t) {
            return e;
        }
        if (t == Type.LOGICAL) {
            return toBool(e, pos);
        }
        e = promoteBool(e, pos);
        if (e.type() == t) {
            return e;
        }
        if (!e.type().isNumeric() || !t.isNumeric()) {
            throw new InputException(pos, "cannot convert " + e.type() + " to " + t);
        }
        return fold(new Expr.Convert(e, t));
    }

    private static Expr assignable(Expr v, Type t, SourcePosition pos) {
        if (v.type() == Type.COMPLEX && t != Type.COMPLEX) {
            throw new InputException(pos, "complex value assigned to a " + t + " variable");
        }
        return conv(v, t, pos);
    }

    /** A constant converted as C++ initialisation converts it. */
    static Expr convertConstant(Expr v, Type t, SourcePosition pos) {
        if (t == Type.LOGICAL) {
            if (v instanceof Expr.LogicalConst) {
                return v;
            }
            return new Expr.LogicalConst(ConstantFolder.real(v) != 0 || v instanceof Expr.ComplexConst c && c.im() != 0);
        }
        if (v instanceof Expr.LogicalConst b) {
            v = new Expr.IntConst(b.value() ? 1 : 0);
        }
        if (v instanceof Expr.StringConst) {
            throw new InputException(pos, "string where a number is expected");
        }
        return ConstantFolder.convert(v, t);
    }

    private static Expr zero(Type t) {
        return switch (t) {
            case INT -> new Expr.IntConst(0);
            case LOGICAL -> new Expr.LogicalConst(false);
            case COMPLEX -> new Expr.ComplexConst(0, 0);
            default -> new Expr.RealConst(0, t);
        };
    }

    /** Folds an operation whose operands are all constants (as the compiler does). */
    private static Expr fold(Expr e) {
        boolean constantOperands;
        if (e instanceof Expr.Binary b) {
            constantOperands = ConstantFolder.isConstant(b.left()) && ConstantFolder.isConstant(b.right());
        } else if (e instanceof Expr.Unary u) {
            constantOperands = ConstantFolder.isConstant(u.operand());
        } else if (e instanceof Expr.Convert c) {
            constantOperands = ConstantFolder.isConstant(c.operand());
        } else if (e instanceof Expr.Intrinsic f) {
            constantOperands = f.args().stream().allMatch(ConstantFolder::isConstant);
        } else {
            constantOperands = false;
        }
        Expr r = constantOperands ? ConstantFolder.tryFold(e) : null;
        return r != null ? r : e;
    }
}
