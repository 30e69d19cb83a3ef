package io.megrad.codegen.cpp;

import io.megrad.codegen.ir.Dim;
import io.megrad.codegen.ir.Expr;
import io.megrad.codegen.ir.Op;
import io.megrad.codegen.ir.Procedure;
import io.megrad.codegen.ir.Program;
import io.megrad.codegen.ir.Stmt;
import io.megrad.codegen.ir.Storage;
import io.megrad.codegen.ir.Type;
import io.megrad.codegen.ir.Variable;
import io.megrad.runtime.InputException;
import io.megrad.runtime.SourcePosition;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The C++ frontend: translates a MadGraph {@code output standalone_cpp} subprocess into an IR
 * {@link Program}. It reads the subprocess's {@code CPPProcess.cc}, the headers it includes (found
 * beside it or in {@code src/}, as the makefiles' {@code -I../../src} finds them) and the
 * implementation file of each header ({@code HelAmps_<model>.cc}, {@code Parameters_<model>.cc}).
 * MadGraph's card reader ({@code read_slha.*}) is not read: its {@code get_block_entry} calls become
 * param-card inputs.
 *
 * <p>The port holds one process object and one object of each other class (the Parameters
 * singleton); their data members are COMMON storage. Two entry points are synthesised:
 * <ul>
 *   <li>{@value #SETUP_ENTRY}: a freshly constructed {@code CPPProcess} running {@code initProc} (independent
 *   parameters and couplings, masses), then the parameters' {@code setDependentParameters()} and
 *   {@code setDependentCouplings()};</li>
 *   <li>{@value #POINT_ENTRY}{@code (P, ANS)}: {@code setMomenta(P)}, {@code sigmaKin()}, and
 *   {@code ANS = getMatrixElements()[0]} (the listed initial-state order when there are mirror processes).</li>
 * </ul>
 *
 * <pre>{@code
 * Program p = new CppFrontend(root, root.resolve("SubProcesses/P1_Sigma_sm_gg_ttx")).translate();
 * }</pre>
 */
public final class CppFrontend {
    public static final String SETUP_ENTRY = "MEGRAD_SETUP";
    public static final String POINT_ENTRY = "MEGRAD_POINT";
    static final String PROCESS_CLASS = "CPPProcess";

    private final Path root;
    private final Path subprocess;

    /**
     * @param root       the MadGraph output directory (holding src/ and SubProcesses/)
     * @param subprocess the SubProcesses/P* directory to translate
     */
    public CppFrontend(Path root, Path subprocess) {
        this.root = root;
        this.subprocess = subprocess;
    }

    public Program translate() {
        Path cc = subprocess.resolve(PROCESS_CLASS + ".cc");
        if (!Files.isRegularFile(cc)) {
            throw new InputException(SourcePosition.of(cc.toString(), 0), "missing " + PROCESS_CLASS + ".cc");
        }
        Model model = new Model();
        for (Syntax.TranslationUnit tu : parseAll(cc)) {
            model.add(tu);
        }
        return translate(model, cc);
    }

    /** Translates already parsed files; {@code processFile} names CPPProcess.cc in messages. */
    static Program translate(Model model, Path processFile) {
        Model.ClassInfo process = model.classes.get(PROCESS_CLASS);
        if (process == null) {
            throw new InputException(SourcePosition.of(processFile.toString(), 0), "no class " + PROCESS_CLASS + " found (is this a MadGraph standalone_cpp output?)");
        }
        model.layoutMembers();
        SourcePosition where = process.def.pos();
        int nExternal = model.intConstant(process, "nexternal", where);
        int nInitial = model.intConstant(process, "ninitial", where);
        Procedure setup = setup(model, process);
        Procedure point = point(model, process, nExternal);
        Map<String, Procedure> procedures = new LinkedHashMap<>();
        procedures.put(setup.name(), setup);
        procedures.put(point.name(), point);
        Procedure masses = masses(process, nExternal);
        if (masses != null) {
            procedures.put(masses.name(), masses);
        }
        while (!model.pending.isEmpty()) {
            Model.Callee c = model.pending.poll();
            procedures.put(c.irName(), Lowering.lower(model, c));
        }
        return new Program(procedures, model.commons, model.inputs(), SETUP_ENTRY, POINT_ENTRY, nExternal, nInitial);
    }

    private static Syntax.Function method(Model.ClassInfo c, String name, SourcePosition where) {
        Syntax.Function f = c.methods.get(name);
        if (f == null || f.body() == null) {
            throw new InputException(where, "class " + c.name + " has no definition of " + name + "() (is this a MadGraph standalone_cpp output?)");
        }
        if (c.overloaded.contains(name)) {
            throw new io.megrad.runtime.UnsupportedConstructException(f.pos(), "overloaded " + c.name + "::" + name);
        }
        return f;
    }

    /** Construction (empty vectors), {@code initProc}, then the alpha_s-dependent parameters and couplings. */
    private static Procedure setup(Model model, Model.ClassInfo process) {
        Syntax.Function init = method(process, "initProc", process.def.pos());
        SourcePosition pos = init.pos();
        List<Stmt> body = new ArrayList<>();
        for (Model.ClassInfo c : model.classes.values()) {
            for (Model.Member m : c.members.values()) {
                if (m instanceof Model.Vector v) {
                    body.add(new Stmt.Assign(pos, new Expr.Ref(v.size()), new Expr.IntConst(0)));
                }
            }
        }
        Syntax.Function ctor = process.methods.get(PROCESS_CLASS);
        if (ctor != null && ctor.body() != null && !ctor.body().body().isEmpty()) {
            body.add(new Stmt.Call(ctor.pos(), model.require(ctor, process).irName(), List.of(), null));
        }
        body.add(new Stmt.Call(pos, model.require(init, process).irName(), List.of(), null));
        Set<Model.ClassInfo> models = new LinkedHashSet<>();
        for (Model.Member m : process.members.values()) {
            if (m instanceof Model.Instance i) {
                models.add(model.classes.get(i.className()));
            }
        }
        for (Model.ClassInfo c : models) {
            for (String name : List.of("setDependentParameters", "setDependentCouplings")) {
                Syntax.Function f = c.methods.get(name);
                if (f != null && f.body() != null && f.params().isEmpty()) {
                    body.add(new Stmt.Call(pos, model.require(f, c).irName(), List.of(), null));
                }
            }
        }
        return new Procedure(SETUP_ENTRY, List.of(), null, List.of(), body, model.memberData, pos);
    }

    /** {@code setMomenta(P); sigmaKin(); ANS = getMatrixElements()[0];} */
    private static Procedure point(Model model, Model.ClassInfo process, int nExternal) {
        Syntax.Function sigmaKin = method(process, "sigmaKin", process.def.pos());
        SourcePosition pos = sigmaKin.pos();
        String momentaName = Model.momentaMember(process);
        String meName = Model.matrixElementMember(process);
        if (momentaName == null || meName == null) {
            throw new InputException(process.def.pos(), "class " + PROCESS_CLASS + " lacks setMomenta/getMatrixElements (is this a MadGraph standalone_cpp output?)");
        }
        if (!(process.members.get(momentaName) instanceof Model.Stored stored)) {
            throw new InputException(process.def.pos(), "class " + PROCESS_CLASS + " has no momenta member '" + momentaName
                    + "' for setMomenta (is this a MadGraph standalone_cpp output?)");
        }
        Variable momenta = stored.var();
        if (!(process.members.get(meName) instanceof Model.Stored me) || me.var().type() != Type.REAL || me.var().dims().size() != 1) {
            throw new InputException(process.def.pos(), "getMatrixElements() does not return a double array member");
        }
        Variable p = new Variable("P", Type.REAL, List.of(new Dim(0, 3), new Dim(1, nExternal)), new Storage.Argument(0), pos);
        Variable ans = new Variable("ANS", Type.REAL, List.of(), new Storage.Argument(1), pos);
        Variable i = new Variable("i", Type.INT, List.of(), new Storage.Local(), pos);
        Variable mu = new Variable("mu", Type.INT, List.of(), new Storage.Local(), pos);
        Stmt copy = new Stmt.Assign(pos,
                new Expr.Element(momenta, List.of(new Expr.Ref(mu), new Expr.Binary(Op.Binary.SUB, new Expr.Ref(i), new Expr.IntConst(1), Type.INT))),
                new Expr.Element(p, List.of(new Expr.Ref(mu), new Expr.Ref(i))));
        Stmt inner = new Stmt.Do(pos, mu, new Expr.IntConst(0), new Expr.IntConst(3), new Expr.IntConst(1), List.of(copy));
        List<Stmt> body = new ArrayList<>();
        body.add(new Stmt.Do(pos, i, new Expr.IntConst(1), new Expr.IntConst(nExternal), new Expr.IntConst(1), List.of(inner)));
        body.add(new Stmt.Call(pos, model.require(sigmaKin, process).irName(), List.of(), null));
        body.add(new Stmt.Assign(pos, new Expr.Ref(ans), new Expr.Element(me.var(), List.of(new Expr.IntConst(0)))));
        return new Procedure(POINT_ENTRY, List.of(p, ans), null, List.of(i, mu), body, List.of(), pos);
    }

    /** {@code PMASS(i) = getMasses()[i-1]}: the masses {@code initProc} pushed, read after the setup. */
    private static Procedure masses(Model.ClassInfo process, int nExternal) {
        Syntax.Function get = process.methods.get("getMasses");
        if (get == null || get.body() == null || get.body().body().size() != 1
                || !(get.body().body().get(0) instanceof Syntax.Return r) || !(r.value() instanceof Syntax.Name n)
                || !(process.members.get(n.name()) instanceof Model.Vector v) || v.data().type() != Type.REAL) {
            return null;
        }
        SourcePosition pos = get.pos();
        Variable pmass = new Variable("PMASS", Type.REAL, List.of(new Dim(1, nExternal)), new Storage.Argument(0), pos);
        Variable i = new Variable("i", Type.INT, List.of(), new Storage.Local(), pos);
        int available = Math.min(nExternal, v.data().size());
        Stmt copy = new Stmt.Assign(pos, new Expr.Element(pmass, List.of(new Expr.Ref(i))), new Expr.Element(v.data(),
                List.of(new Expr.Binary(Op.Binary.SUB, new Expr.Ref(i), new Expr.IntConst(1), Type.INT))));
        List<Stmt> body = List.of(new Stmt.Do(pos, i, new Expr.IntConst(1), new Expr.IntConst(available), new Expr.IntConst(1), List.of(copy)));
        return new Procedure(Program.MASSES_ENTRY, List.of(pmass), null, List.of(i), body, List.of(), pos);
    }

    // ------------------------------------------------------------------ files

    /** CPPProcess.cc, the headers it includes (depth first), then the implementation file of each header. */
    private List<Syntax.TranslationUnit> parseAll(Path cc) {
        Set<Path> seen = new HashSet<>();
        List<Path> order = new ArrayList<>();
        collect(cc, seen, order);
        List<Path> implementations = new ArrayList<>();
        for (Path f : order) {
            String name = f.getFileName().toString();
            if (name.endsWith(".h")) {
                Path impl = f.resolveSibling(name.substring(0, name.length() - 2) + ".cc");
                if (Files.isRegularFile(impl) && seen.add(normal(impl))) {
                    implementations.add(impl);
                }
            }
        }
        Set<String> knownTypes = new HashSet<>(Set.of("SLHAReader", "SLHABlock"));
        List<Syntax.TranslationUnit> units = new ArrayList<>();
        List<Path> all = new ArrayList<>(order);
        all.addAll(implementations);
        for (Path f : all) {
            units.add(Parser.parse(read(f), f.toString(), knownTypes));
        }
        return units;
    }

    /** The 1-based line of {@code #include "inc"} in {@code text}, 0 if not found. */
    private static int includeLine(String text, String inc) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains("include") && lines[i].contains("\"" + inc + "\"")) {
                return i + 1;
            }
        }
        return 0;
    }

    private void collect(Path file, Set<Path> seen, List<Path> order) {
        if (!seen.add(normal(file))) {
            return;
        }
        for (String inc : Lexer.quotedIncludes(read(file), file.toString())) {
            if (inc.startsWith("read_slha")) {
                continue; // MadGraph's card reader: megrad reads the card itself
            }
            Path found = null;
            for (Path dir : List.of(file.getParent(), subprocess, root.resolve("src"))) {
                Path c = dir.resolve(inc);
                if (Files.isRegularFile(c)) {
                    found = c;
                    break;
                }
            }
            if (found == null) {
                throw new InputException(SourcePosition.of(file.toString(), includeLine(read(file), inc)), "included file \"" + inc + "\" not found (looked beside it, in "
                        + subprocess + " and in " + root.resolve("src") + ")");
            }
            collect(found, seen, order);
        }
        order.add(file);
    }

    private static Path normal(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    private static String read(Path f) {
        try {
            return Files.readString(f, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new InputException(SourcePosition.of(f.toString(), 0), "cannot read: " + e.getMessage());
        }
    }
}
