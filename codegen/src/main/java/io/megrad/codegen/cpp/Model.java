package io.megrad.codegen.cpp;

import io.megrad.codegen.ir.CommonBlock;
import io.megrad.codegen.ir.ConstantFolder;
import io.megrad.codegen.ir.DataInit;
import io.megrad.codegen.ir.Dim;
import io.megrad.codegen.ir.Expr;
import io.megrad.codegen.ir.ExternalInput;
import io.megrad.codegen.ir.Procedure;
import io.megrad.codegen.ir.Storage;
import io.megrad.codegen.ir.Type;
import io.megrad.codegen.ir.Variable;
import io.megrad.runtime.InputException;
import io.megrad.runtime.SourcePosition;
import io.megrad.runtime.UnsupportedConstructException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the parsed files declare, as the lowering needs it: the classes with their data members
 * (each class has one object in a run, so its members are global storage: a COMMON block named after
 * the class), the free functions, the param-card inputs found so far, and the queue of functions
 * still to translate.
 */
final class Model {
    /** A class's data member, as the port holds it. */
    sealed interface Member {
    }

    /** Storage in the class's COMMON block (scalars, arrays, arrays allocated with {@code new T[n]}, the momenta). */
    record Stored(Variable var) implements Member {
    }

    /** A {@code static const} member with an initializer. */
    record Constant(Syntax.Expr init, Syntax.TypeName type, SourcePosition pos) implements Member {
    }

    /** A {@code std::vector<T>} filled with {@code push_back}: an array of the largest size it reaches, and its size. */
    record Vector(Variable data, Variable size) implements Member {
    }

    /** A pointer to a class object (e.g. {@code Parameters_sm * pars}): it designates that class's single object. */
    record Instance(String className) implements Member {
    }

    /** A member megrad does not model; using it is an error. */
    record Opaque(String what, SourcePosition pos) implements Member {
    }

    static final class ClassInfo {
        final String name;
        final Syntax.ClassDef def;
        final Map<String, Syntax.Function> methods = new LinkedHashMap<>();
        final Set<String> overloaded = new HashSet<>();
        final Map<String, Member> members = new LinkedHashMap<>();
        final Map<String, Syntax.Declarator> staticDefinitions = new HashMap<>();

        ClassInfo(String name, Syntax.ClassDef def) {
            this.name = name;
            this.def = def;
        }

        void addMethod(Syntax.Function f) {
            Syntax.Function old = methods.get(f.name());
            if (old == null || sameParams(old, f) && f.body() != null) {
                methods.put(f.name(), f);
            } else if (!sameParams(old, f)) {
                overloaded.add(f.name());
            }
        }
    }

    /** How one parameter is passed. DROPPED parameters have no IR counterpart. */
    enum PassKind { DROPPED, ARRAY, VALUE, REF }

    /** What a DROPPED parameter is: the card reader, a string (a file name), or one of the model's objects. */
    enum Dropped {
        CARD_READER("the card reader"), STRING("a string"), OBJECT("an object of a class");

        final String description;

        Dropped(String description) {
            this.description = description;
        }
    }

    record ParamPlan(Syntax.Param param, PassKind kind, Type type, List<Dim> dims, Dropped dropped) {
    }

    /** A function to translate, with the IR name and how its parameters are passed. */
    record Callee(Syntax.Function fn, ClassInfo owner, String irName, List<ParamPlan> params, Type result) {
    }

    final Map<String, ClassInfo> classes = new LinkedHashMap<>();
    final Map<String, List<Syntax.Function>> functions = new LinkedHashMap<>();
    final Set<String> namespaces = new HashSet<>();
    final Map<String, CommonBlock> commons = new LinkedHashMap<>();
    /** Namespace-scope variables: constants (usable by name) or opaque. */
    final Map<String, Member> globals = new LinkedHashMap<>();
    /** Initial values of class members (in-class initializers, definitions of static members): DATA of the setup. */
    final List<DataInit> memberData = new ArrayList<>();
    private final Map<String, ExternalInput> inputs = new LinkedHashMap<>();
    private final Map<Syntax.Function, Callee> callees = new HashMap<>();
    private final Set<String> irNames = new HashSet<>();
    final Deque<Callee> pending = new ArrayDeque<>();
    final Map<String, Procedure> procedures = new LinkedHashMap<>();
    private final Map<String, Expr> constantValues = new HashMap<>();
    private final Set<String> evaluating = new HashSet<>();

    // ------------------------------------------------------------------ building

    void add(Syntax.TranslationUnit tu) {
        for (Syntax.ClassDef c : tu.classes()) {
            if (classes.containsKey(c.name())) {
                throw new InputException(c.pos(), "class " + c.name() + " defined twice");
            }
            ClassInfo info = new ClassInfo(c.name(), c);
            classes.put(c.name(), info);
            for (Syntax.Function f : c.methods()) {
                info.addMethod(f);
            }
        }
        for (Syntax.Function f : tu.functions()) {
            if (f.namespace() != null) {
                namespaces.add(f.namespace());
            }
            if (f.owner() != null) {
                ClassInfo owner = classes.get(f.owner());
                if (owner == null) {
                    throw new InputException(f.pos(), "member function " + f.qualifiedName() + " of an unknown class");
                }
                owner.addMethod(f);
            } else {
                List<Syntax.Function> list = functions.computeIfAbsent(f.name(), k -> new ArrayList<>());
                list.removeIf(old -> old.body() == null && sameParams(old, f));
                if (f.body() != null || list.stream().noneMatch(old -> sameParams(old, f))) {
                    list.add(f);
                }
            }
        }
        for (Syntax.GlobalVar g : tu.globals()) {
            if (g.owner() == null) {
                Syntax.Declarator d = g.declarator();
                globals.put(d.name(), g.specifiers().isConst() && d.init() != null && d.dims().isEmpty()
                        ? new Constant(d.init(), d.type(), d.pos())
                        : new Opaque("namespace-scope variable " + d.name(), d.pos()));
                continue;
            }
            ClassInfo owner = classes.get(g.owner());
            if (owner == null) {
                throw new InputException(g.declarator().pos(), "definition of " + g.owner() + "::" + g.declarator().name() + " for an unknown class");
            }
            owner.staticDefinitions.put(g.declarator().name(), g.declarator());
        }
    }

    private static boolean sameParams(Syntax.Function a, Syntax.Function b) {
        if (a.params().size() != b.params().size()) {
            return false;
        }
        for (int i = 0; i < a.params().size(); i++) {
            Syntax.TypeName x = a.params().get(i).type();
            Syntax.TypeName y = b.params().get(i).type();
            int px = x.pointers() + (a.params().get(i).dims().isEmpty() ? 0 : 1);
            int py = y.pointers() + (b.params().get(i).dims().isEmpty() ? 0 : 1);
            if (!x.simpleBase().equals(y.simpleBase()) || px != py || x.reference() != y.reference()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Decides how each class's data members are held, now that every file is parsed. {@code momentaOf}
     * gives, per class, the member its {@code setMomenta} stores (an array of {@code nexternal}
     * four-vectors in the port).
     */
    void layoutMembers() {
        for (ClassInfo c : classes.values()) {
            for (Syntax.Field f : c.def.fields()) {
                Syntax.Declarator d = f.declarator();
                if (f.specifiers().isConst() && d.init() != null && !(d.init() instanceof Syntax.BraceList) && d.dims().isEmpty()
                        && d.type().pointers() == 0 && !d.type().reference()) {
                    c.members.put(d.name(), new Constant(d.init(), d.type(), d.pos()));
                }
            }
        }
        for (ClassInfo c : classes.values()) {
            List<Variable> block = new ArrayList<>();
            String momenta = momentaMember(c);
            for (Syntax.Field f : c.def.fields()) {
                Syntax.Declarator d = f.declarator();
                if (c.members.containsKey(d.name())) {
                    continue;
                }
                Member m = member(c, d, d.name().equals(momenta), block);
                c.members.put(d.name(), m);
                Syntax.Declarator definition = c.staticDefinitions.get(d.name());
                Syntax.Expr init = d.init() != null ? d.init() : definition != null ? definition.init() : null;
                if (init != null && m instanceof Stored st) {
                    memberData.addAll(Lowering.initialValues(this, c, st.var(), init, d.pos()));
                } else if (init != null && m instanceof Vector) {
                    throw new UnsupportedConstructException(d.pos(), "initializer of vector member " + d.name());
                }
            }
            if (!block.isEmpty()) {
                commons.put(c.name, new CommonBlock(c.name, block));
            }
        }
    }

    private Member member(ClassInfo c, Syntax.Declarator d, boolean isMomenta, List<Variable> block) {
        Syntax.TypeName t = d.type();
        SourcePosition pos = d.pos();
        if (Types.isString(t)) {
            return new Opaque("string member " + d.name(), pos);
        }
        if (t.pointers() > 0 && d.dims().isEmpty() && classes.containsKey(t.simpleBase()) && t.pointers() == 1) {
            return new Instance(t.simpleBase());
        }
        if (Types.isVector(t)) {
            Syntax.TypeName elem = t.args().get(0);
            if (isMomenta) {
                Type et = Types.scalar(withoutPointers(elem), pos);
                if (et != Type.REAL || elem.pointers() != 1) {
                    throw new UnsupportedConstructException(pos, "momenta member " + d.name() + " of type " + t);
                }
                int n = intConstant(c, "nexternal", pos);
                return stored(c, d.name(), Type.REAL, List.of(n, 4), pos, block);
            }
            Type et = elem.pointers() == 0 ? Types.scalar(elem, pos) : null;
            int capacity = countPushBacks(c, d.name());
            if (et == null || capacity == 0) {
                return new Opaque("vector member " + d.name() + " of type " + t, pos);
            }
            Variable data = new Variable(d.name(), et, Types.irDims(List.of(capacity)), new Storage.Common(c.name, block.size()), pos);
            block.add(data);
            Variable size = new Variable(d.name() + "_size", Type.INT, List.of(), new Storage.Common(c.name, block.size()), pos);
            block.add(size);
            return new Vector(data, size);
        }
        Type et = Types.scalar(withoutPointers(t), pos);
        if (et == null) {
            return new Opaque("member " + d.name() + " of type " + t, pos);
        }
        List<Integer> dims = new ArrayList<>();
        for (Syntax.Expr e : d.dims()) {
            if (e == null) {
                throw new UnsupportedConstructException(pos, "member array " + d.name() + " without a size");
            }
            dims.add(intConstant(c, e, pos));
        }
        if (t.pointers() == 1 && !t.reference()) {
            // A pointer member (or array of pointers) is storage only once 'new T[n]' allocates it.
            int n = allocationSize(c, d.name());
            if (n <= 0) {
                return new Opaque("pointer member " + d.name() + " that is never allocated with new[]", pos);
            }
            dims.add(n);
        } else if (t.pointers() > 0 || t.reference()) {
            return new Opaque("member " + d.name() + " of type " + t, pos);
        }
        return stored(c, d.name(), et, dims, pos, block);
    }

    private Stored stored(ClassInfo c, String name, Type type, List<Integer> cppDims, SourcePosition pos, List<Variable> block) {
        Variable v = new Variable(name, type, Types.irDims(cppDims), new Storage.Common(c.name, block.size()), pos);
        block.add(v);
        return new Stored(v);
    }

    private static Syntax.TypeName withoutPointers(Syntax.TypeName t) {
        return new Syntax.TypeName(t.base(), t.args(), t.isConst(), 0, false);
    }

    /** The member that {@code setMomenta(momenta)} assigns, or null. */
    static String momentaMember(ClassInfo c) {
        Syntax.Function f = c.methods.get("setMomenta");
        if (f == null || f.body() == null || f.params().size() != 1) {
            return null;
        }
        for (Syntax.Stmt s : f.body().body()) {
            if (s instanceof Syntax.ExprStmt es && es.expr() instanceof Syntax.Assign a && a.op().equals("=")
                    && a.target() instanceof Syntax.Name n && a.value() instanceof Syntax.Name v && v.name().equals(f.params().get(0).name())) {
                return n.name();
            }
        }
        return null;
    }

    /** The member {@code getMatrixElements()} returns, or null. */
    static String matrixElementMember(ClassInfo c) {
        Syntax.Function f = c.methods.get("getMatrixElements");
        if (f == null || f.body() == null) {
            return null;
        }
        for (Syntax.Stmt s : f.body().body()) {
            if (s instanceof Syntax.Return r && r.value() instanceof Syntax.Name n) {
                return n.name();
            }
        }
        return null;
    }

    private static int countPushBacks(ClassInfo c, String member) {
        int[] n = {0};
        for (Syntax.Function f : c.methods.values()) {
            if (f.body() != null) {
                SyntaxWalk.expressions(f.body(), e -> {
                    if (e instanceof Syntax.Call call && call.callee() instanceof Syntax.Member m && m.member().equals("push_back")
                            && m.object() instanceof Syntax.Name on && on.name().equals(member)) {
                        n[0]++;
                    }
                });
            }
        }
        return n[0];
    }

    /** The largest {@code new T[n]} assigned to {@code member} or one of its elements, or 0. */
    private int allocationSize(ClassInfo c, String member) {
        int[] n = {0};
        for (Syntax.Function f : c.methods.values()) {
            if (f.body() != null) {
                SyntaxWalk.expressions(f.body(), e -> {
                    if (e instanceof Syntax.Assign a && a.value() instanceof Syntax.New nw && nw.arraySize() != null
                            && member.equals(SyntaxWalk.rootName(a.target()))) {
                        n[0] = Math.max(n[0], intConstant(c, nw.arraySize(), f.pos()));
                    }
                });
            }
        }
        return n[0];
    }

    // ------------------------------------------------------------------ constants

    int intConstant(ClassInfo c, String name, SourcePosition pos) {
        Member m = c.members.get(name);
        if (!(m instanceof Constant)) {
            throw new InputException(pos, "class " + c.name + " has no constant '" + name + "' (is this a MadGraph standalone_cpp output?)");
        }
        return intValue(constant(c, name), pos);
    }

    int intConstant(ClassInfo c, Syntax.Expr e, SourcePosition pos) {
        return intValue(ConstantFolder.fold(Lowering.constantExpression(this, c, e, pos), pos), pos);
    }

    static int intValue(Expr v, SourcePosition pos) {
        if (!(v instanceof Expr.IntConst i)) {
            throw new UnsupportedConstructException(pos, "non-integer constant where an integer is required");
        }
        return (int) i.value();
    }

    /** The folded value of constant {@code name} of class {@code c} (null: a namespace-scope constant). */
    Expr constant(ClassInfo c, String name) {
        String key = (c == null ? "" : c.name) + "::" + name;
        Expr v = constantValues.get(key);
        if (v != null) {
            return v;
        }
        Constant k = (Constant) (c == null ? globals.get(name) : c.members.get(name));
        if (!evaluating.add(key)) {
            throw new InputException(k.pos(), "constant " + key + " is defined in terms of itself");
        }
        Type t = Types.scalar(k.type(), k.pos());
        if (t == null) {
            throw new UnsupportedConstructException(k.pos(), "constant of type " + k.type());
        }
        v = Lowering.convertConstant(ConstantFolder.fold(Lowering.constantExpression(this, c, k.init(), k.pos()), k.pos()), t, k.pos());
        evaluating.remove(key);
        constantValues.put(key, v);
        return v;
    }

    // ------------------------------------------------------------------ functions

    /** The translation plan of {@code fn} (member of {@code owner}, or free when owner is null); it is queued for translation. */
    Callee require(Syntax.Function fn, ClassInfo owner) {
        Callee c = callees.get(fn);
        if (c == null) {
            c = plan(fn, owner);
            callees.put(fn, c);
            pending.add(c);
        }
        return c;
    }

    private Callee plan(Syntax.Function fn, ClassInfo owner) {
        if (fn.body() == null) {
            throw new InputException(fn.pos(), "function " + fn.qualifiedName() + " is declared but its definition was not found in the output's sources");
        }
        String base = owner == null ? fn.name() : owner.name + "_" + fn.name();
        String name = JavaSafeNames.procedure(base);
        for (int k = 2; !irNames.add(name); k++) {
            name = JavaSafeNames.procedure(base + "_" + k);
        }
        List<ParamPlan> params = new ArrayList<>();
        for (Syntax.Param p : fn.params()) {
            params.add(paramPlan(p, fn));
        }
        Type result = null;
        Syntax.TypeName rt = fn.returnType();
        if (!rt.base().equals("void") || rt.pointers() > 0) {
            if (rt.pointers() > 0 || rt.reference()) {
                throw new UnsupportedConstructException(fn.pos(), "function " + fn.qualifiedName() + " returning a pointer or reference");
            }
            result = Types.scalar(rt, fn.pos());
            if (result == null) {
                throw new UnsupportedConstructException(fn.pos(), "function " + fn.qualifiedName() + " returning " + rt);
            }
        }
        return new Callee(fn, owner, name, params, result);
    }

    private ParamPlan paramPlan(Syntax.Param p, Syntax.Function fn) {
        Syntax.TypeName t = p.type();
        if (Types.isCardReader(t)) {
            return new ParamPlan(p, PassKind.DROPPED, null, List.of(), Dropped.CARD_READER);
        }
        if (Types.isString(t)) {
            return new ParamPlan(p, PassKind.DROPPED, null, List.of(), Dropped.STRING);
        }
        if (classes.containsKey(t.simpleBase()) && (t.pointers() == 1 || t.reference())) {
            return new ParamPlan(p, PassKind.DROPPED, null, List.of(), Dropped.OBJECT);
        }
        Type et = Types.scalar(withoutPointers(t), p.pos());
        if (et == null) {
            throw new UnsupportedConstructException(p.pos(), "parameter " + p.name() + " of type " + t + " in " + fn.qualifiedName());
        }
        if (!p.dims().isEmpty() || t.pointers() > 0) {
            if (t.pointers() + (p.dims().isEmpty() ? 0 : 1) > 1 || t.reference()) {
                throw new UnsupportedConstructException(p.pos(), "parameter " + p.name() + " of type " + t + " (pointer to pointer) in " + fn.qualifiedName());
            }
            List<Integer> dims = new ArrayList<>();
            if (p.dims().isEmpty()) {
                dims.add(null);
            } else {
                for (int i = 0; i < p.dims().size(); i++) {
                    Syntax.Expr e = p.dims().get(i);
                    // The outermost bound of an array parameter is not part of its type: it addresses like [].
                    dims.add(i == 0 || e == null ? null : intConstant(classes.get(fn.owner()), e, p.pos()));
                }
            }
            return new ParamPlan(p, PassKind.ARRAY, et, Types.irDims(dims), null);
        }
        return new ParamPlan(p, t.reference() ? PassKind.REF : PassKind.VALUE, et, List.of(), null);
    }

    // ------------------------------------------------------------------ inputs

    /** The param-card input read into {@code cardName} from {@code block}/{@code indices}. */
    ExternalInput input(String cardName, String block, List<Integer> indices, double defaultValue) {
        String key = cardName + "@" + block + indices;
        return inputs.computeIfAbsent(key, k -> new ExternalInput(inputs.size(), cardName, block, indices, defaultValue));
    }

    List<ExternalInput> inputs() {
        return new ArrayList<>(inputs.values());
    }
}
