package io.megrad.codegen.fortran;

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

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Translates one parsed SUBROUTINE/FUNCTION into an IR {@link Procedure}: symbol table, types, hoisted calls. */
final class UnitLowering {
    /** MadGraph's parameter-card reader routine; its calls become {@link Stmt.ParamInput}. */
    private static final String LHA_GET_REAL = "LHA_GET_REAL";
    /** Loading the card is megrad's job, so this call translates to nothing. */
    private static final Set<String> IGNORED_CALLS = Set.of("LHA_LOADCARD");

    private final SourceUnit unit;
    private final LoweringContext ctx;
    private final Map<String, Symbol> symbols = new LinkedHashMap<>();
    private final Map<String, Variable> variables = new LinkedHashMap<>();
    private final List<Variable> temps = new ArrayList<>();
    private final List<DataInit> data = new ArrayList<>();
    private final Set<String> dataInitialised = new HashSet<>();
    private boolean implicitNone;
    private final Map<Character, Syntax.TypeSpec> implicitRules = new HashMap<>();
    private boolean saveAll;
    private int tempCounter;

    /** Everything the declarations say about one name. */
    private static final class Symbol {
        final String name;
        Syntax.TypeSpec type;
        List<Syntax.Dim> dims = List.of();
        Expr constant;
        String common;
        int commonIndex;
        int argIndex = -1;
        boolean saved;
        boolean external;
        boolean intrinsic;
        SourcePosition pos;

        Symbol(String name) {
            this.name = name;
        }
    }

    UnitLowering(SourceUnit unit, LoweringContext ctx) {
        this.unit = unit;
        this.ctx = ctx;
    }

    Procedure lower() {
        List<Syntax.Stmt> body = StatementParser.parse(unit.body());
        for (int i = 0; i < unit.params().size(); i++) {
            symbol(unit.params().get(i), unit.pos()).argIndex = i;
        }
        if (unit.kind() == Syntax.UnitKind.FUNCTION) {
            Symbol r = symbol(unit.name(), unit.pos());
            r.type = unit.resultType();
        }
        List<Syntax.DataStmt> dataStmts = new ArrayList<>();
        List<Syntax.Stmt> executable = new ArrayList<>();
        Map<String, List<Syntax.Entity>> commonsInOrder = new LinkedHashMap<>();
        for (Syntax.Stmt s : body) {
            declare(s, dataStmts, executable, commonsInOrder);
        }
        for (Map.Entry<String, List<Syntax.Entity>> e : commonsInOrder.entrySet()) {
            List<Variable> members = new ArrayList<>();
            for (Syntax.Entity m : e.getValue()) {
                members.add(variable(m.name(), unit.pos()));
            }
            ctx.registerCommon(e.getKey(), members, symbols.get(e.getValue().get(0).name()).pos);
        }
        for (Syntax.DataStmt d : dataStmts) {
            data(d);
        }
        List<Stmt> out = new ArrayList<>();
        for (Syntax.Stmt s : executable) {
            statement(s, out);
        }
        List<Variable> params = new ArrayList<>();
        for (String p : unit.params()) {
            params.add(variable(p, unit.pos()));
        }
        Variable result = unit.kind() == Syntax.UnitKind.FUNCTION ? variable(unit.name(), unit.pos()) : null;
        List<Variable> locals = new ArrayList<>();
        for (Variable v : variables.values()) {
            if (v.storage() instanceof Storage.Local || v.storage() instanceof Storage.Saved) {
                if (v != result) {
                    locals.add(v);
                }
            }
        }
        locals.addAll(temps);
        return new Procedure(unit.name(), params, result, locals, out, data, unit.pos());
    }

    // ------------------------------------------------------------------ declarations

    private Symbol symbol(String name, SourcePosition pos) {
        Symbol s = symbols.computeIfAbsent(name, Symbol::new);
        if (s.pos == null) {
            s.pos = pos;
        }
        return s;
    }

    private void declare(Syntax.Stmt s, List<Syntax.DataStmt> dataStmts, List<Syntax.Stmt> executable,
                         Map<String, List<Syntax.Entity>> commons) {
        if (s instanceof Syntax.ImplicitStmt i) {
            if (i.none()) {
                implicitNone = true;
            }
            for (Syntax.ImplicitRule r : i.rules()) {
                for (char c = r.from(); c <= r.to(); c++) {
                    implicitRules.put(c, r.type());
                }
            }
        } else if (s instanceof Syntax.TypeDecl t) {
            if (t.type().base() == Syntax.BaseType.DERIVED) {
                throw new UnsupportedConstructException(t.pos(), "derived type (TYPE(...)) declaration");
            }
            for (Syntax.Entity e : t.entities()) {
                Symbol sym = symbol(e.name(), t.pos());
                sym.type = t.type();
                sym.pos = t.pos();
                if (!e.dims().isEmpty()) {
                    sym.dims = e.dims();
                }
                if (t.saveAttribute()) {
                    sym.saved = true;
                }
                if (e.init() != null) {
                    if (t.parameterAttribute()) {
                        sym.constant = constant(e.init(), sym, t.pos());
                    } else {
                        dataStmts.add(new Syntax.DataStmt(t.pos(), List.of(new Syntax.DataSet(
                                List.of(new Syntax.Name(e.name())), List.of(new Syntax.DataValue(null, e.init()))))));
                    }
                }
            }
        } else if (s instanceof Syntax.DimensionStmt d) {
            for (Syntax.Entity e : d.entities()) {
                symbol(e.name(), d.pos()).dims = e.dims();
            }
        } else if (s instanceof Syntax.ParameterStmt p) {
            for (Syntax.Entity e : p.definitions()) {
                Symbol sym = symbol(e.name(), p.pos());
                sym.constant = constant(e.init(), sym, p.pos());
            }
        } else if (s instanceof Syntax.DataStmt d) {
            dataStmts.add(d);
        } else if (s instanceof Syntax.CommonStmt c) {
            for (Syntax.CommonBlock b : c.blocks()) {
                String block = b.name().isEmpty() ? "$BLANK" : b.name();
                List<Syntax.Entity> members = commons.computeIfAbsent(block, k -> new ArrayList<>());
                for (Syntax.Entity e : b.members()) {
                    Symbol sym = symbol(e.name(), c.pos());
                    sym.common = block;
                    sym.commonIndex = members.size();
                    if (!e.dims().isEmpty()) {
                        sym.dims = e.dims();
                    }
                    members.add(e);
                }
            }
        } else if (s instanceof Syntax.SaveStmt sv) {
            if (sv.names().isEmpty()) {
                saveAll = true;
            }
            for (String n : sv.names()) {
                if (!n.startsWith("/")) {
                    symbol(n, sv.pos()).saved = true;
                }
            }
        } else if (s instanceof Syntax.ExternalStmt e) {
            for (String n : e.names()) {
                symbol(n, e.pos()).external = true;
            }
        } else if (s instanceof Syntax.IntrinsicStmt e) {
            for (String n : e.names()) {
                symbol(n, e.pos()).intrinsic = true;
            }
        } else {
            executable.add(s);
        }
    }

    private Expr constant(Syntax.Expr e, Symbol sym, SourcePosition pos) {
        Expr v = ConstantFolder.fold(expr(e, null, pos), pos);
        Type t = typeOf(sym, pos);
        return convertConstant(v, t, pos);
    }

    private Type typeOf(Symbol sym, SourcePosition pos) {
        Syntax.TypeSpec spec = sym.type;
        if (spec == null) {
            spec = implicitRules.get(sym.name.charAt(0));
            if (spec == null) {
                if (implicitNone) {
                    throw new InputException(pos, "'" + sym.name + "' has no type (IMPLICIT NONE) in " + unit.name());
                }
                char c = sym.name.charAt(0);
                spec = c >= 'I' && c <= 'N' ? new Syntax.TypeSpec(Syntax.BaseType.INTEGER, 4) : new Syntax.TypeSpec(Syntax.BaseType.REAL, 4);
            }
        }
        return irType(spec, pos);
    }

    static Type irType(Syntax.TypeSpec spec, SourcePosition pos) {
        return switch (spec.base()) {
            case INTEGER -> Type.INT;
            case LOGICAL -> Type.LOGICAL;
            case CHARACTER -> Type.CHARACTER;
            case REAL -> switch (spec.kind()) {
                case 4 -> Type.REAL4;
                case 8 -> Type.REAL;
                default -> throw new UnsupportedConstructException(pos, "REAL of kind " + spec.kind() + " (quadruple precision)");
            };
            case COMPLEX -> {
                if (spec.kind() != 8) {
                    throw new UnsupportedConstructException(pos, "single-precision COMPLEX");
                }
                yield Type.COMPLEX;
            }
            case DERIVED -> throw new UnsupportedConstructException(pos, "derived type");
        };
    }

    /** The IR variable for a name, created on first use. */
    private Variable variable(String name, SourcePosition pos) {
        Variable v = variables.get(name);
        if (v != null) {
            return v;
        }
        Symbol sym = symbol(name, pos);
        Type type = typeOf(sym, pos);
        List<Dim> dims = new ArrayList<>();
        for (int i = 0; i < sym.dims.size(); i++) {
            // Errors in a bound point at the declaration, not at the first use.
            dims.add(dim(sym, sym.dims.get(i), i == sym.dims.size() - 1, sym.pos != null ? sym.pos : pos));
        }
        Storage storage;
        if (sym.argIndex >= 0) {
            storage = new Storage.Argument(sym.argIndex);
        } else if (sym.common != null) {
            storage = new Storage.Common(sym.common, sym.commonIndex);
        } else if (sym.saved || saveAll || dataInitialised.contains(name)) {
            storage = new Storage.Saved();
        } else {
            storage = new Storage.Local();
        }
        if (dims.stream().anyMatch(d -> d.upper() == null) && sym.argIndex < 0) {
            throw new UnsupportedConstructException(sym.pos, "assumed-size array " + name + " that is not a dummy argument");
        }
        v = new Variable(name, type, dims, storage, sym.pos);
        variables.put(name, v);
        return v;
    }

    private Dim dim(Symbol sym, Syntax.Dim d, boolean last, SourcePosition pos) {
        int lower = d.lower() == null ? 1 : intConstant(d.lower(), pos);
        if (d.upper() == null) {
            return new Dim(lower, null);
        }
        Expr upper = ConstantFolder.tryFold(expr(d.upper(), null, pos));
        if (upper == null) {
            if (sym.argIndex >= 0 && last) {
                // An adjustable last dimension addresses memory exactly like an assumed-size one.
                return new Dim(lower, null);
            }
            throw new UnsupportedConstructException(pos, "non-constant bound of array " + sym.name);
        }
        return new Dim(lower, toInt(upper, pos));
    }

    private int intConstant(Syntax.Expr e, SourcePosition pos) {
        return toInt(ConstantFolder.fold(expr(e, null, pos), pos), pos);
    }

    /** A constant converted to {@code to}; LOGICAL/CHARACTER and numbers do not mix (an input error). */
    private static Expr convertConstant(Expr v, Type to, SourcePosition pos) {
        boolean fromNumber = v.type().isNumeric();
        boolean toNumber = to.isNumeric();
        if (fromNumber != toNumber || !fromNumber && v.type() != to) {
            throw new InputException(pos, "a " + v.type() + " constant where a " + to + " value belongs");
        }
        return ConstantFolder.convert(v, to);
    }

    /** A folded numeric constant as an int; a LOGICAL or CHARACTER constant where a number belongs is an input error. */
    private static int toInt(Expr constant, SourcePosition pos) {
        if (!constant.type().isNumeric() || constant.type() == Type.COMPLEX) {
            throw new InputException(pos, "expected an integer constant, found a " + constant.type() + " constant");
        }
        return (int) ((Expr.IntConst) ConstantFolder.convert(constant, Type.INT)).value();
    }

    // ------------------------------------------------------------------ DATA

    private void data(Syntax.DataStmt d) {
        for (Syntax.DataSet set : d.sets()) {
            for (Syntax.Expr o : set.objects()) {
                markDataNames(o);
            }
        }
        for (Syntax.DataSet set : d.sets()) {
            List<Target> targets = new ArrayList<>();
            for (Syntax.Expr o : set.objects()) {
                expandDataObject(o, new HashMap<>(), targets, d.pos());
            }
            List<Expr> values = new ArrayList<>();
            for (Syntax.DataValue dv : set.values()) {
                Expr value = ConstantFolder.fold(expr(dv.value(), null, d.pos()), d.pos());
                int repeat = dv.repeat() == null ? 1 : intConstant(dv.repeat(), d.pos());
                for (int k = 0; k < repeat; k++) {
                    values.add(value);
                }
            }
            if (values.size() != targets.size()) {
                throw new InputException(d.pos(), "DATA has " + targets.size() + " targets but " + values.size() + " values");
            }
            for (int i = 0; i < targets.size(); i++) {
                Target t = targets.get(i);
                data.add(new DataInit(t.var, t.offset, convertConstant(values.get(i), t.var.type(), d.pos())));
            }
        }
    }

    private record Target(Variable var, int offset) {
    }

    private void markDataNames(Syntax.Expr o) {
        if (o instanceof Syntax.Name n) {
            dataInitialised.add(n.name());
        } else if (o instanceof Syntax.Apply a) {
            dataInitialised.add(a.name());
        } else if (o instanceof Syntax.ImpliedDo i) {
            i.items().forEach(this::markDataNames);
        }
    }

    private void expandDataObject(Syntax.Expr o, Map<String, Long> loopVars, List<Target> out, SourcePosition pos) {
        if (o instanceof Syntax.Name n) {
            Variable v = variable(n.name(), pos);
            int size = v.isArray() ? v.size() : 1;
            for (int k = 0; k < size; k++) {
                out.add(new Target(v, k));
            }
        } else if (o instanceof Syntax.Apply a) {
            Variable v = variable(a.name(), pos);
            List<Long> idx = new ArrayList<>();
            for (Syntax.Expr e : a.args()) {
                idx.add(evalWithLoopVars(e, loopVars, pos));
            }
            out.add(new Target(v, linearOffset(v, idx, pos)));
        } else if (o instanceof Syntax.ImpliedDo i) {
            long start = evalWithLoopVars(i.start(), loopVars, pos);
            long end = evalWithLoopVars(i.end(), loopVars, pos);
            long step = i.step() == null ? 1 : evalWithLoopVars(i.step(), loopVars, pos);
            for (long k = start; step > 0 ? k <= end : k >= end; k += step) {
                loopVars.put(i.var(), k);
                for (Syntax.Expr item : i.items()) {
                    expandDataObject(item, loopVars, out, pos);
                }
            }
            loopVars.remove(i.var());
        } else {
            throw new UnsupportedConstructException(pos, "DATA target");
        }
    }

    private long evalWithLoopVars(Syntax.Expr e, Map<String, Long> loopVars, SourcePosition pos) {
        Syntax.Expr substituted = substitute(e, loopVars);
        return intConstant(substituted, pos);
    }

    private static Syntax.Expr substitute(Syntax.Expr e, Map<String, Long> vars) {
        if (e instanceof Syntax.Name n && vars.containsKey(n.name())) {
            return new Syntax.IntLit(vars.get(n.name()));
        }
        if (e instanceof Syntax.Binary b) {
            return new Syntax.Binary(b.op(), substitute(b.left(), vars), substitute(b.right(), vars));
        }
        if (e instanceof Syntax.Unary u) {
            return new Syntax.Unary(u.op(), substitute(u.operand(), vars));
        }
        return e;
    }

    static int linearOffset(Variable v, List<Long> idx, SourcePosition pos) {
        if (idx.size() != v.dims().size()) {
            throw new InputException(pos, v.name() + " has " + v.dims().size() + " dimensions, not " + idx.size());
        }
        long offset = 0;
        long stride = 1;
        for (int i = 0; i < idx.size(); i++) {
            Dim d = v.dims().get(i);
            long k = idx.get(i) - d.lower();
            if (k < 0 || d.upper() != null && idx.get(i) > d.upper()) {
                throw new InputException(pos, "index " + idx.get(i) + " out of bounds for " + v.name());
            }
            offset += k * stride;
            if (d.extent() != null) {
                stride *= d.extent();
            }
        }
        return (int) offset;
    }

    // ------------------------------------------------------------------ statements

    private void statement(Syntax.Stmt s, List<Stmt> out) {
        SourcePosition pos = s.pos();
        if (s instanceof Syntax.Assign a) {
            assignment(a, out);
        } else if (s instanceof Syntax.Call c) {
            call(c, out);
        } else if (s instanceof Syntax.IfBlock b) {
            out.addAll(ifChain(b.branches(), 0));
        } else if (s instanceof Syntax.LogicalIf li) {
            List<Stmt> then = new ArrayList<>();
            statement(li.then(), then);
            Expr cond = condition(li.condition(), out, pos);
            out.add(new Stmt.If(pos, cond, then, List.of()));
        } else if (s instanceof Syntax.DoLoop d) {
            Variable var = variable(d.var(), pos);
            if (var.type() != Type.INT || var.isArray()) {
                throw new UnsupportedConstructException(pos, "DO loop over a non-INTEGER variable " + d.var());
            }
            Expr start = intExpr(d.start(), out, pos);
            Expr end = intExpr(d.end(), out, pos);
            Expr step = d.step() == null ? new Expr.IntConst(1) : intExpr(d.step(), out, pos);
            List<Stmt> body = new ArrayList<>();
            for (Syntax.Stmt b : d.body()) {
                statement(b, body);
            }
            out.add(new Stmt.Do(pos, var, start, end, step, body));
        } else if (s instanceof Syntax.DoWhile w) {
            List<Stmt> body = new ArrayList<>();
            if (w.condition() != null) {
                List<Stmt> pre = new ArrayList<>();
                Expr cond = condition(w.condition(), pre, pos);
                if (pre.isEmpty()) {
                    for (Syntax.Stmt b : w.body()) {
                        statement(b, body);
                    }
                    out.add(new Stmt.While(pos, cond, body));
                    return;
                }
                body.addAll(pre);
                body.add(new Stmt.If(pos, new Expr.Unary(Op.Unary.NOT, cond, Type.LOGICAL), List.of(new Stmt.Exit(pos)), List.of()));
            }
            for (Syntax.Stmt b : w.body()) {
                statement(b, body);
            }
            out.add(new Stmt.While(pos, null, body));
        } else if (s instanceof Syntax.Simple sm) {
            switch (sm.kind()) {
                case RETURN -> out.add(new Stmt.Return(pos));
                case CYCLE -> out.add(new Stmt.Cycle(pos));
                case EXIT -> out.add(new Stmt.Exit(pos));
                case STOP -> out.add(new Stmt.Stop(pos));
                case CONTINUE -> {
                }
            }
        } else if (s instanceof Syntax.Goto) {
            throw new UnsupportedConstructException(pos, "GOTO");
        } else if (s instanceof Syntax.Unsupported u) {
            throw new UnsupportedConstructException(pos, u.what());
        } else {
            throw new UnsupportedConstructException(pos, "declaration after executable statements or unknown statement");
        }
    }

    private List<Stmt> ifChain(List<Syntax.Branch> branches, int i) {
        List<Stmt> out = new ArrayList<>();
        Syntax.Branch b = branches.get(i);
        if (b.condition() == null) {
            for (Syntax.Stmt s : b.body()) {
                statement(s, out);
            }
            return out;
        }
        Expr cond = condition(b.condition(), out, b.pos());
        List<Stmt> then = new ArrayList<>();
        for (Syntax.Stmt s : b.body()) {
            statement(s, then);
        }
        List<Stmt> otherwise = i + 1 < branches.size() ? ifChain(branches, i + 1) : List.of();
        out.add(new Stmt.If(b.pos(), cond, then, otherwise));
        return out;
    }

    private Expr condition(Syntax.Expr e, List<Stmt> pre, SourcePosition pos) {
        Expr c = expr(e, pre, pos);
        if (c.type() != Type.LOGICAL) {
            throw new InputException(pos, "condition is not LOGICAL");
        }
        return c;
    }

    private Expr intExpr(Syntax.Expr e, List<Stmt> pre, SourcePosition pos) {
        Expr x = expr(e, pre, pos);
        if (x.type() != Type.INT) {
            throw new UnsupportedConstructException(pos, "non-INTEGER loop bound");
        }
        return x;
    }

    private void assignment(Syntax.Assign a, List<Stmt> out) {
        SourcePosition pos = a.pos();
        Expr target = lvalue(a.target(), out, pos);
        if (target.type() == Type.CHARACTER) {
            throw new UnsupportedConstructException(pos, "CHARACTER assignment");
        }
        Expr value = expr(a.value(), out, pos);
        out.add(new Stmt.Assign(pos, target, assignable(value, target.type(), pos)));
    }

    private Expr assignable(Expr value, Type to, SourcePosition pos) {
        if (value.type() == to) {
            return value;
        }
        if (to == Type.LOGICAL || value.type() == Type.LOGICAL || value.type() == Type.CHARACTER) {
            throw new InputException(pos, "cannot assign " + value.type() + " to " + to);
        }
        return new Expr.Convert(value, to);
    }

    private Expr lvalue(Syntax.Expr e, List<Stmt> pre, SourcePosition pos) {
        if (e instanceof Syntax.Name n) {
            Symbol sym = symbols.get(n.name());
            if (sym != null && sym.constant != null) {
                throw new InputException(pos, "assignment to PARAMETER " + n.name());
            }
            Variable v = variable(n.name(), pos);
            if (v.isArray()) {
                throw new UnsupportedConstructException(pos, "whole-array assignment to " + n.name());
            }
            return new Expr.Ref(v);
        }
        if (e instanceof Syntax.Apply ap) {
            Symbol sym = symbols.get(ap.name());
            if (sym == null || sym.dims.isEmpty()) {
                throw new UnsupportedConstructException(pos, "statement function or assignment to non-array " + ap.name());
            }
            return element(ap, pre, pos);
        }
        throw new InputException(pos, "cannot assign to this expression");
    }

    private Expr.Element element(Syntax.Apply ap, List<Stmt> pre, SourcePosition pos) {
        Variable v = variable(ap.name(), pos);
        if (ap.args().size() != v.dims().size()) {
            throw new InputException(pos, ap.name() + " has " + v.dims().size() + " dimensions but is used with " + ap.args().size() + " indices");
        }
        List<Expr> idx = new ArrayList<>();
        for (Syntax.Expr i : ap.args()) {
            if (i instanceof Syntax.Range) {
                throw new UnsupportedConstructException(pos, "array section or substring " + ap.name() + "(…:…)");
            }
            Expr x = expr(i, pre, pos);
            if (x.type() != Type.INT) {
                throw new InputException(pos, "array index of " + ap.name() + " is not INTEGER");
            }
            idx.add(x);
        }
        return new Expr.Element(v, idx);
    }

    private void call(Syntax.Call c, List<Stmt> out) {
        SourcePosition pos = c.pos();
        String name = c.name();
        if (IGNORED_CALLS.contains(name)) {
            return;
        }
        if (name.equals(LHA_GET_REAL)) {
            paramInput(c, out);
            return;
        }
        if (!ctx.hasUnit(name)) {
            throw new InputException(pos, "CALL " + name + ": no SUBROUTINE " + name + " in the output's sources");
        }
        callee(name, pos);
        List<Expr> args = new ArrayList<>();
        for (Syntax.Expr a : c.args()) {
            args.add(argument(a, out, pos));
        }
        ctx.require(name);
        out.add(new Stmt.Call(pos, name, args, null));
    }

    /**
     * The unit {@code name} that {@link LoweringContext#hasUnit} found. That scan only looks for
     * header lines, so a header swallowed by the unit before it (an END lost) is seen there but is
     * no unit when the file is read.
     */
    private SourceUnit callee(String name, SourcePosition pos) {
        SourceUnit u = ctx.unit(name);
        if (u == null) {
            throw new InputException(pos, name + ": its SUBROUTINE or FUNCTION line is inside another unit"
                    + " (an END missing before it?)");
        }
        return u;
    }

    /** {@code CALL LHA_GET_REAL(NPARA, PARAM, VALUE, 'name', VAR, default)}. */
    private void paramInput(Syntax.Call c, List<Stmt> out) {
        SourcePosition pos = c.pos();
        if (c.args().size() != 6 || !(c.args().get(3) instanceof Syntax.StringLit name)) {
            throw new UnsupportedConstructException(pos, "LHA_GET_REAL call shape (expected 6 arguments with a quoted name)");
        }
        Expr target = lvalue(c.args().get(4), out, pos);
        Expr def = ConstantFolder.fold(expr(c.args().get(5), null, pos), pos);
        ExternalInput input = ctx.input(name.value(), ConstantFolder.real(def));
        out.add(new Stmt.ParamInput(pos, target, input.index()));
    }

    private Expr argument(Syntax.Expr a, List<Stmt> pre, SourcePosition pos) {
        if (a instanceof Syntax.Name n) {
            Symbol sym = symbols.get(n.name());
            if (sym != null && sym.constant != null) {
                return sym.constant;
            }
            if (sym != null && sym.external) {
                throw new UnsupportedConstructException(pos, "procedure " + n.name() + " passed as an argument");
            }
            return new Expr.Ref(variable(n.name(), pos));
        }
        return expr(a, pre, pos);
    }

    // ------------------------------------------------------------------ expressions

    /** Lowers an expression; user function calls are hoisted into {@code pre} (null where none may occur). */
    private Expr expr(Syntax.Expr e, List<Stmt> pre, SourcePosition pos) {
        if (e instanceof Syntax.IntLit i) {
            return new Expr.IntConst(i.value());
        }
        if (e instanceof Syntax.RealLit r) {
            return new Expr.RealConst(r.value(), r.doublePrecision() ? Type.REAL : Type.REAL4);
        }
        if (e instanceof Syntax.LogicalLit l) {
            return new Expr.LogicalConst(l.value());
        }
        if (e instanceof Syntax.StringLit s) {
            return new Expr.StringConst(s.value());
        }
        if (e instanceof Syntax.ComplexLit c) {
            Expr re = ConstantFolder.fold(expr(c.re(), pre, pos), pos);
            Expr im = ConstantFolder.fold(expr(c.im(), pre, pos), pos);
            return new Expr.ComplexConst(ConstantFolder.real(re), ConstantFolder.real(im));
        }
        if (e instanceof Syntax.Name n) {
            Symbol sym = symbols.get(n.name());
            if (sym != null && sym.constant != null) {
                return sym.constant;
            }
            Variable v = variable(n.name(), pos);
            if (v.isArray()) {
                throw new UnsupportedConstructException(pos, "whole array " + n.name() + " in an expression");
            }
            return new Expr.Ref(v);
        }
        if (e instanceof Syntax.Apply ap) {
            return apply(ap, pre, pos);
        }
        if (e instanceof Syntax.Unary u) {
            Expr x = expr(u.operand(), pre, pos);
            if (u.op().equals("NOT")) {
                return new Expr.Unary(Op.Unary.NOT, x, Type.LOGICAL);
            }
            return new Expr.Unary(Op.Unary.NEG, x, x.type());
        }
        if (e instanceof Syntax.Binary b) {
            return binary(b, pre, pos);
        }
        throw new UnsupportedConstructException(pos, "expression form " + e.getClass().getSimpleName());
    }

    private Expr binary(Syntax.Binary b, List<Stmt> pre, SourcePosition pos) {
        Expr l = expr(b.left(), pre, pos);
        Expr r = expr(b.right(), pre, pos);
        switch (b.op()) {
            case "AND", "OR", "EQV", "NEQV": {
                return new Expr.Binary(Op.Binary.valueOf(b.op()), l, r, Type.LOGICAL);
            }
            case "EQ", "NE", "LT", "LE", "GT", "GE": {
                if (l.type() == Type.CHARACTER || r.type() == Type.CHARACTER) {
                    throw new UnsupportedConstructException(pos, "CHARACTER comparison");
                }
                Type t = Type.promote(l.type(), r.type());
                return new Expr.Binary(Op.Binary.valueOf(b.op()), Intrinsics.conv(l, t), Intrinsics.conv(r, t), Type.LOGICAL);
            }
            case "**": {
                if (r.type() == Type.INT) {
                    return new Expr.Binary(Op.Binary.POW, l, r, l.type());
                }
                Type t = Type.promote(l.type(), r.type());
                return new Expr.Binary(Op.Binary.POW, Intrinsics.conv(l, t), Intrinsics.conv(r, t), t);
            }
            case "+", "-", "*", "/": {
                if (!l.type().isNumeric() || !r.type().isNumeric()) {
                    throw new InputException(pos, "arithmetic on a non-numeric value");
                }
                Type t = Type.promote(l.type(), r.type());
                Op.Binary op = switch (b.op()) {
                    case "+" -> Op.Binary.ADD;
                    case "-" -> Op.Binary.SUB;
                    case "*" -> Op.Binary.MUL;
                    default -> Op.Binary.DIV;
                };
                return new Expr.Binary(op, Intrinsics.conv(l, t), Intrinsics.conv(r, t), t);
            }
            default:
                throw new UnsupportedConstructException(pos, "operator " + b.op());
        }
    }

    private Expr apply(Syntax.Apply ap, List<Stmt> pre, SourcePosition pos) {
        Symbol sym = symbols.get(ap.name());
        if (sym != null && !sym.dims.isEmpty()) {
            return element(ap, pre, pos);
        }
        boolean userFunction = ctx.hasUnit(ap.name()) && (sym == null || !sym.intrinsic);
        if (!userFunction && Intrinsics.isIntrinsic(ap.name()) && (sym == null || !sym.external)) {
            List<Expr> args = new ArrayList<>();
            for (Syntax.Expr a : ap.args()) {
                args.add(expr(a, pre, pos));
            }
            return Intrinsics.apply(ap.name(), args, pos);
        }
        if (!userFunction) {
            throw new InputException(pos, "unknown function or array " + ap.name());
        }
        if (pre == null) {
            throw new UnsupportedConstructException(pos, "function call " + ap.name() + " in a constant expression");
        }
        SourceUnit callee = callee(ap.name(), pos);
        if (callee.kind() != Syntax.UnitKind.FUNCTION) {
            throw new InputException(pos, ap.name() + " is a SUBROUTINE, not a FUNCTION");
        }
        Type type = sym != null && sym.type != null ? irType(sym.type, pos)
                : callee.resultType() != null ? irType(callee.resultType(), pos) : typeOf(symbol(ap.name(), pos), pos);
        List<Expr> args = new ArrayList<>();
        for (Syntax.Expr a : ap.args()) {
            args.add(argument(a, pre, pos));
        }
        Variable temp = new Variable("$" + ap.name() + "_" + (tempCounter++), type, List.of(), new Storage.Local(), pos);
        temps.add(temp);
        ctx.require(ap.name());
        pre.add(new Stmt.Call(pos, ap.name(), args, new Expr.Ref(temp)));
        return new Expr.Ref(temp);
    }
}
