package io.megrad.codegen.cpp;

import io.megrad.runtime.SourcePosition;

import java.util.ArrayList;
import java.util.List;

/**
 * The untyped syntax tree of the C++ subset MadGraph's {@code standalone_cpp} output uses. Names are
 * kept as written (qualified with {@code ::} where the source qualifies them); meaning is given by
 * the lowering.
 */
final class Syntax {
    private Syntax() {
    }

    // ------------------------------------------------------------------ types

    /**
     * A type as written: {@code base} is a builtin ({@code double}, {@code int}, {@code unsigned int}…)
     * or a possibly qualified name; {@code args} are template arguments; then pointer levels and a
     * trailing reference.
     */
    record TypeName(String base, List<TypeName> args, boolean isConst, int pointers, boolean reference) {
        TypeName {
            args = List.copyOf(args);
        }

        static TypeName of(String base) {
            return new TypeName(base, List.of(), false, 0, false);
        }

        /** The unqualified template name ({@code std::complex} → {@code complex}). */
        String simpleBase() {
            int i = base.lastIndexOf("::");
            return i < 0 ? base : base.substring(i + 2);
        }

        TypeName withIndirection(int morePointers, boolean ref) {
            return new TypeName(base, args, isConst, pointers + morePointers, reference || ref);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(isConst ? "const " : "").append(base);
            if (!args.isEmpty()) {
                sb.append('<');
                for (int i = 0; i < args.size(); i++) {
                    sb.append(i > 0 ? ", " : "").append(args.get(i));
                }
                sb.append('>');
            }
            sb.append("*".repeat(pointers));
            return reference ? sb.append('&').toString() : sb.toString();
        }
    }

    // ------------------------------------------------------------------ expressions

    sealed interface Expr {
    }

    record IntLit(long value) implements Expr {
    }

    /** A floating literal; {@code single} for an {@code f} suffix. */
    record FloatLit(double value, boolean single) implements Expr {
    }

    record BoolLit(boolean value) implements Expr {
    }

    record StringLit(String value) implements Expr {
    }

    /** A possibly qualified name: {@code x}, {@code std::abs}, {@code Parameters_sm::getInstance}. */
    record Name(String name) implements Expr {
    }

    record Index(Expr array, Expr index) implements Expr {
    }

    record Call(Expr callee, List<Expr> args) implements Expr {
        Call {
            args = List.copyOf(args);
        }
    }

    /** {@code object.member} or {@code object->member}. */
    record Member(Expr object, String member, boolean arrow) implements Expr {
    }

    /** Prefix operators: {@code - + ! ~ & *} and {@code ++ --} (as "++pre", "--pre"). */
    record Unary(String op, Expr operand) implements Expr {
    }

    /** Postfix {@code ++} and {@code --}. */
    record Postfix(String op, Expr operand) implements Expr {
    }

    record Binary(String op, Expr left, Expr right) implements Expr {
    }

    /** {@code =} and the compound assignments. */
    record Assign(String op, Expr target, Expr value) implements Expr {
    }

    record Conditional(Expr condition, Expr then, Expr otherwise) implements Expr {
    }

    /** A functional cast or constructor call: {@code double(x)}, {@code std::complex<double>(a, b)}, {@code (double) x}. */
    record Construct(TypeName type, List<Expr> args) implements Expr {
        Construct {
            args = List.copyOf(args);
        }
    }

    /** {@code new T(args)} or {@code new T[size]}. */
    record New(TypeName type, Expr arraySize, List<Expr> args) implements Expr {
        New {
            args = List.copyOf(args);
        }
    }

    /** A braced initializer list. */
    record BraceList(List<Expr> items) implements Expr {
        BraceList {
            items = List.copyOf(items);
        }
    }

    // ------------------------------------------------------------------ declarations

    /**
     * One declarator: its name, full type, array bounds (a null bound for {@code []}, outermost first
     * as written), and either an initializer ({@code = e} or {@code = {…}}) or constructor arguments.
     */
    record Declarator(String name, TypeName type, List<Expr> dims, Expr init, List<Expr> ctorArgs, SourcePosition pos) {
        Declarator {
            dims = dims == null ? List.of() : java.util.Collections.unmodifiableList(new ArrayList<>(dims));
            ctorArgs = ctorArgs == null ? null : List.copyOf(ctorArgs);
        }
    }

    record Specifiers(boolean isStatic, boolean isConst) {
        static final Specifiers NONE = new Specifiers(false, false);
    }

    record Param(String name, TypeName type, List<Expr> dims, SourcePosition pos) {
        Param {
            dims = java.util.Collections.unmodifiableList(new ArrayList<>(dims));
        }
    }

    // ------------------------------------------------------------------ statements

    sealed interface Stmt {
        SourcePosition pos();
    }

    record Decl(SourcePosition pos, Specifiers specifiers, List<Declarator> declarators) implements Stmt {
        Decl {
            declarators = List.copyOf(declarators);
        }
    }

    record ExprStmt(SourcePosition pos, Expr expr) implements Stmt {
    }

    record Block(SourcePosition pos, List<Stmt> body) implements Stmt {
        Block {
            body = List.copyOf(body);
        }
    }

    record If(SourcePosition pos, Expr condition, Stmt then, Stmt otherwise) implements Stmt {
    }

    /** {@code for (init; condition; step) body}; any part may be null. */
    record For(SourcePosition pos, Stmt init, Expr condition, Expr step, Stmt body) implements Stmt {
    }

    record While(SourcePosition pos, Expr condition, Stmt body) implements Stmt {
    }

    record DoWhile(SourcePosition pos, Stmt body, Expr condition) implements Stmt {
    }

    record Return(SourcePosition pos, Expr value) implements Stmt {
    }

    record Break(SourcePosition pos) implements Stmt {
    }

    record Continue(SourcePosition pos) implements Stmt {
    }

    record Empty(SourcePosition pos) implements Stmt {
    }

    /** A statement the parser recognised but megrad does not translate; an error only if reached. */
    record Unsupported(SourcePosition pos, String what) implements Stmt {
    }

    // ------------------------------------------------------------------ top level

    /**
     * A function or member function. {@code owner} is the class for members (defined inside the class
     * or out of line as {@code Owner::name}); {@code body} is null for a declaration only.
     */
    record Function(String name, String owner, String namespace, TypeName returnType, List<Param> params,
                    boolean isStatic, Block body, SourcePosition pos) {
        Function {
            params = List.copyOf(params);
        }

        String qualifiedName() {
            return owner == null ? name : owner + "::" + name;
        }
    }

    /** A data member of a class. */
    record Field(Specifiers specifiers, Declarator declarator) {
    }

    record ClassDef(String name, List<Field> fields, List<Function> methods, SourcePosition pos) {
        ClassDef {
            fields = List.copyOf(fields);
            methods = List.copyOf(methods);
        }
    }

    /** A namespace-scope variable definition, e.g. {@code Parameters_sm * Parameters_sm::instance = 0;}. */
    record GlobalVar(Specifiers specifiers, Declarator declarator, String owner) {
    }

    record TranslationUnit(String file, List<ClassDef> classes, List<Function> functions, List<GlobalVar> globals) {
        TranslationUnit {
            classes = List.copyOf(classes);
            functions = List.copyOf(functions);
            globals = List.copyOf(globals);
        }
    }
}
