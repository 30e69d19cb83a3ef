package io.megrad.codegen.cpp;

import io.megrad.runtime.InputException;
import io.megrad.runtime.SourcePosition;
import io.megrad.runtime.UnsupportedConstructException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Recursive-descent parser for the C++ subset of MadGraph's {@code standalone_cpp} files: namespaces,
 * classes with data members and (inline or out-of-line) member functions, free functions, and the
 * statements and expressions their bodies use. Declarations are told from expressions the way a
 * reader does: a statement that starts with a type followed by a name declares it.
 */
final class Parser {
    static final Set<String> BUILTIN_WORDS = Set.of("void", "bool", "char", "short", "int", "long", "float", "double",
            "signed", "unsigned", "size_t", "auto");
    /** Library class templates whose {@code <…>} is a template argument list, not a comparison. */
    static final Set<String> TEMPLATES = Set.of("complex", "vector");
    private static final Set<String> SPECIFIERS = Set.of("static", "inline", "virtual", "extern", "const", "constexpr",
            "explicit", "register", "volatile", "mutable");

    private final List<Token> tokens;
    private final String file;
    private final Set<String> knownTypes;
    private int pos;

    private Parser(List<Token> tokens, String file, Set<String> knownTypes) {
        this.tokens = tokens;
        this.file = file;
        this.knownTypes = knownTypes;
    }

    /**
     * Parses a whole file. {@code knownTypes} holds the class names seen so far (in included headers);
     * the classes this file defines are added to it.
     */
    static Syntax.TranslationUnit parse(String src, String file, Set<String> knownTypes) {
        Parser p = new Parser(Lexer.tokens(src, file), file, knownTypes);
        List<Syntax.ClassDef> classes = new ArrayList<>();
        List<Syntax.Function> functions = new ArrayList<>();
        List<Syntax.GlobalVar> globals = new ArrayList<>();
        p.declarations(null, classes, functions, globals, true);
        return new Syntax.TranslationUnit(file, classes, functions, globals);
    }

    /** Parses statements (a function body without its braces); for tests. */
    static List<Syntax.Stmt> parseStatements(String src, String file, Set<String> knownTypes) {
        Parser p = new Parser(Lexer.tokens(src, file), file, new HashSet<>(knownTypes));
        List<Syntax.Stmt> out = new ArrayList<>();
        while (!p.at(Token.Kind.EOF)) {
            out.add(p.statement());
        }
        return out;
    }

    /** Parses one expression; for tests. */
    static Syntax.Expr parseExpression(String src) {
        Parser p = new Parser(Lexer.tokens(src, "<expr>"), "<expr>", new HashSet<>());
        Syntax.Expr e = p.expression();
        p.expectKind(Token.Kind.EOF);
        return e;
    }

    // ------------------------------------------------------------------ token cursor

    private Token peek() {
        return tokens.get(pos);
    }

    private Token peek(int ahead) {
        return tokens.get(Math.min(pos + ahead, tokens.size() - 1));
    }

    private boolean at(String s) {
        return peek().is(s);
    }

    private boolean at(Token.Kind k) {
        return peek().kind() == k;
    }

    private boolean accept(String s) {
        if (at(s)) {
            pos++;
            return true;
        }
        return false;
    }

    private Token next() {
        Token t = peek();
        if (t.kind() != Token.Kind.EOF) {
            pos++;
        }
        return t;
    }

    private SourcePosition here() {
        return SourcePosition.of(file, peek().line());
    }

    private void expect(String s) {
        if (!accept(s)) {
            throw new InputException(here(), "syntax error: expected '" + s + "' but found " + peek());
        }
    }

    private void expectKind(Token.Kind k) {
        if (!at(k)) {
            throw new InputException(here(), "syntax error: unexpected " + peek());
        }
    }

    private String ident() {
        if (!at(Token.Kind.IDENT)) {
            throw new InputException(here(), "syntax error: expected a name but found " + peek());
        }
        return next().text();
    }

    /** Splits a {@code >>} token closing two template argument lists. */
    private void expectCloseAngle() {
        if (at(">>")) {
            Token t = peek();
            tokens.set(pos, new Token(Token.Kind.PUNCT, ">", t.line()));
            tokens.add(pos, new Token(Token.Kind.PUNCT, ">", t.line()));
        }
        expect(">");
    }

    private UnsupportedConstructException unsupported(String what) {
        return new UnsupportedConstructException(here(), what);
    }

    // ------------------------------------------------------------------ top level

    private void declarations(String namespace, List<Syntax.ClassDef> classes, List<Syntax.Function> functions,
                              List<Syntax.GlobalVar> globals, boolean topLevel) {
        while (true) {
            if (at(Token.Kind.EOF)) {
                if (!topLevel) {
                    throw new InputException(here(), "syntax error: unexpected end of file inside namespace " + namespace);
                }
                return;
            }
            if (!topLevel && at("}")) {
                next();
                return;
            }
            if (accept(";")) {
                continue;
            }
            if (at("using")) {
                while (!accept(";")) {
                    if (at(Token.Kind.EOF)) {
                        throw new InputException(here(), "syntax error: 'using' without ';'");
                    }
                    next();
                }
                continue;
            }
            if (at("namespace")) {
                next();
                String name = at(Token.Kind.IDENT) ? ident() : "";
                expect("{");
                declarations(name, classes, functions, globals, false);
                continue;
            }
            if (at("template") || at("typedef") || at("enum") || at("union") || at("extern") && peek(1).kind() == Token.Kind.STRING) {
                throw unsupported("'" + peek().text() + "' declaration");
            }
            if ((at("class") || at("struct")) && peek(1).kind() == Token.Kind.IDENT) {
                if (peek(2).is(";")) {
                    pos += 3;
                    continue;
                }
                classes.add(classDef(namespace));
                continue;
            }
            member(namespace, null, functions, null, globals);
        }
    }

    private Syntax.ClassDef classDef(String namespace) {
        SourcePosition start = here();
        next();
        String name = ident();
        knownTypes.add(name);
        if (at(":")) {
            throw unsupported("class inheritance (" + name + ")");
        }
        expect("{");
        List<Syntax.Field> fields = new ArrayList<>();
        List<Syntax.Function> methods = new ArrayList<>();
        while (!accept("}")) {
            if (at(Token.Kind.EOF)) {
                throw new InputException(start, "syntax error: class " + name + " is not closed");
            }
            if ((at("public") || at("private") || at("protected")) && peek(1).is(":")) {
                pos += 2;
                continue;
            }
            if (accept(";")) {
                continue;
            }
            member(namespace, name, methods, fields, null);
        }
        expect(";");
        return new Syntax.ClassDef(name, fields, methods, start);
    }

    /** One declaration at namespace or class scope: a function (declared or defined) or variables. */
    private void member(String namespace, String owner, List<Syntax.Function> functions, List<Syntax.Field> fields,
                        List<Syntax.GlobalVar> globals) {
        SourcePosition start = here();
        boolean isStatic = false;
        boolean isConst = false;
        while (at(Token.Kind.IDENT) && SPECIFIERS.contains(peek().text())) {
            String s = next().text();
            isStatic |= s.equals("static");
            isConst |= s.equals("const") || s.equals("constexpr");
        }
        if (at("friend") || at("operator")) {
            throw unsupported("'" + peek().text() + "' declaration");
        }
        // Constructors and destructors.
        if (owner != null && (at("~") || at(Token.Kind.IDENT) && peek().text().equals(owner) && peek(1).is("("))) {
            boolean destructor = accept("~");
            String name = ident();
            functions.add(functionRest(destructor ? "~" + name : name, owner, namespace, Syntax.TypeName.of("void"), isStatic, start));
            return;
        }
        if (at(Token.Kind.IDENT) && peek(1).is("::") && peek(2).is("~")) {
            String cls = ident();
            pos += 2;
            String name = ident();
            functions.add(functionRest("~" + name, cls, namespace, Syntax.TypeName.of("void"), false, start));
            return;
        }
        if (at(Token.Kind.IDENT) && peek(1).is("::") && peek(2).kind() == Token.Kind.IDENT && peek(2).text().equals(peek().text())
                && peek(3).is("(")) {
            String cls = ident();
            pos++;
            String name = ident();
            functions.add(functionRest(name, cls, namespace, Syntax.TypeName.of("void"), false, start));
            return;
        }
        Syntax.TypeName base = type();
        if (isConst) {
            base = new Syntax.TypeName(base.base(), base.args(), true, base.pointers(), base.reference());
        }
        Syntax.Specifiers spec = new Syntax.Specifiers(isStatic, base.isConst());
        // type() took the first declarator's '*'s and '&'; they belong to it alone.
        int firstPointers = base.pointers();
        boolean firstRef = base.reference();
        base = new Syntax.TypeName(base.base(), base.args(), base.isConst(), 0, false);
        boolean first = true;
        while (true) {
            int pointers = first ? firstPointers : 0;
            boolean ref = first && firstRef;
            while (at("*") || at("&")) {
                if (next().text().equals("*")) {
                    pointers++;
                    accept("const");
                } else {
                    ref = true;
                }
            }
            SourcePosition dpos = here();
            String name = ident();
            String declOwner = owner;
            while (accept("::")) {
                if (at("operator")) {
                    throw unsupported("operator overloading");
                }
                declOwner = declOwner == null || declOwner.equals(owner) ? name : declOwner + "::" + name;
                name = ident();
            }
            Syntax.TypeName type = base.withIndirection(pointers, ref);
            if (first && at("(")) {
                functions.add(functionRest(name, declOwner, namespace, type, isStatic, start));
                return;
            }
            first = false;
            Syntax.Declarator d = declaratorRest(name, type, dpos);
            if (fields != null) {
                fields.add(new Syntax.Field(spec, d));
            } else {
                globals.add(new Syntax.GlobalVar(spec, d, declOwner));
            }
            if (accept(",")) {
                continue;
            }
            expect(";");
            return;
        }
    }

    private Syntax.Function functionRest(String name, String owner, String namespace, Syntax.TypeName ret, boolean isStatic,
                                         SourcePosition start) {
        expect("(");
        List<Syntax.Param> params = new ArrayList<>();
        if (at("void") && peek(1).is(")")) {
            next();
        }
        while (!accept(")")) {
            if (!params.isEmpty()) {
                expect(",");
            }
            if (at("...")) {
                throw unsupported("variadic function " + name);
            }
            SourcePosition ppos = here();
            Syntax.TypeName t = type();
            int pointers = 0;
            boolean ref = false;
            while (at("*") || at("&")) {
                if (next().text().equals("*")) {
                    pointers++;
                    accept("const");
                } else {
                    ref = true;
                }
            }
            String pname = at(Token.Kind.IDENT) ? ident() : "";
            List<Syntax.Expr> dims = new ArrayList<>();
            while (accept("[")) {
                dims.add(at("]") ? null : expression());
                expect("]");
            }
            if (accept("=")) {
                assignment(); // default argument: callers in these files pass every argument
            }
            params.add(new Syntax.Param(pname, t.withIndirection(pointers, ref), dims, ppos));
        }
        while (at("const") || at("override") || at("noexcept")) {
            next();
        }
        if (accept("=")) {
            if (!(accept("0") || accept("default") || accept("delete"))) {
                throw new InputException(here(), "syntax error after '='");
            }
            expect(";");
            return new Syntax.Function(name, owner, namespace, ret, params, isStatic, null, start);
        }
        if (accept(";")) {
            return new Syntax.Function(name, owner, namespace, ret, params, isStatic, null, start);
        }
        Syntax.Block body;
        if (at(":")) {
            SourcePosition ipos = here();
            next();
            while (!at("{")) {
                next();
            }
            Syntax.Block b = block();
            List<Syntax.Stmt> withInit = new ArrayList<>();
            withInit.add(new Syntax.Unsupported(ipos, "constructor initializer list"));
            withInit.addAll(b.body());
            body = new Syntax.Block(b.pos(), withInit);
        } else {
            body = block();
        }
        return new Syntax.Function(name, owner, namespace, ret, params, isStatic, body, start);
    }

    /** The rest of a declarator after its name: array bounds and an initializer. */
    private Syntax.Declarator declaratorRest(String name, Syntax.TypeName type, SourcePosition dpos) {
        List<Syntax.Expr> dims = new ArrayList<>();
        while (accept("[")) {
            dims.add(at("]") ? null : expression());
            expect("]");
        }
        Syntax.Expr init = null;
        List<Syntax.Expr> ctor = null;
        if (accept("=")) {
            init = at("{") ? braceList() : assignment();
        } else if (at("{")) {
            init = braceList();
        } else if (accept("(")) {
            ctor = arguments();
        }
        return new Syntax.Declarator(name, type, dims, init, ctor, dpos);
    }

    private Syntax.BraceList braceList() {
        expect("{");
        List<Syntax.Expr> items = new ArrayList<>();
        while (!accept("}")) {
            items.add(at("{") ? braceList() : assignment());
            if (!at("}")) {
                expect(",");
            }
        }
        return new Syntax.BraceList(items);
    }

    /** Arguments after an opening parenthesis, through the closing one. */
    private List<Syntax.Expr> arguments() {
        List<Syntax.Expr> args = new ArrayList<>();
        while (!accept(")")) {
            if (!args.isEmpty()) {
                expect(",");
            }
            args.add(at("{") ? braceList() : assignment());
        }
        return args;
    }

    // ------------------------------------------------------------------ types

    private boolean atBuiltinWord() {
        return at(Token.Kind.IDENT) && BUILTIN_WORDS.contains(peek().text());
    }

    /** A type without declarator parts: cv-qualifiers, a builtin or (qualified, templated) name, then {@code *}s and {@code &}. */
    Syntax.TypeName type() {
        boolean isConst = false;
        while (at("const") || at("volatile") || at("typename")) {
            isConst |= next().text().equals("const");
        }
        String base;
        List<Syntax.TypeName> args = new ArrayList<>();
        if (atBuiltinWord()) {
            List<String> words = new ArrayList<>();
            while (atBuiltinWord()) {
                words.add(next().text());
            }
            base = normaliseBuiltin(words);
        } else {
            StringBuilder sb = new StringBuilder();
            if (accept("::")) {
                sb.append("::");
            }
            sb.append(ident());
            while (at("::") && peek(1).kind() == Token.Kind.IDENT) {
                next();
                sb.append("::").append(ident());
            }
            base = sb.toString();
            String simple = base.substring(base.lastIndexOf(':') + 1);
            if (TEMPLATES.contains(simple) && at("<")) {
                next();
                while (true) {
                    args.add(type());
                    if (accept(",")) {
                        continue;
                    }
                    break;
                }
                expectCloseAngle();
            }
        }
        while (at("const") || at("volatile")) {
            isConst |= next().text().equals("const");
        }
        int pointers = 0;
        boolean ref = false;
        while (at("*")) {
            next();
            pointers++;
            accept("const");
        }
        if (at("&")) {
            next();
            ref = true;
        } else if (at("&&")) {
            throw unsupported("rvalue reference");
        }
        return new Syntax.TypeName(base, args, isConst, pointers, ref);
    }

    private static String normaliseBuiltin(List<String> words) {
        Set<String> w = new HashSet<>(words);
        if (w.contains("double")) {
            return w.contains("long") ? "long double" : "double";
        }
        if (w.contains("float") || w.contains("bool") || w.contains("void") || w.contains("char") || w.contains("size_t")
                || w.contains("auto")) {
            return words.get(words.size() - 1);
        }
        if (w.contains("long")) {
            return "long";
        }
        if (w.contains("short")) {
            return "short";
        }
        return w.contains("unsigned") ? "unsigned" : "int";
    }

    /** True when the tokens ahead start a declaration (a type followed by a declarator name). */
    private boolean atDeclaration() {
        if (at(Token.Kind.IDENT) && (SPECIFIERS.contains(peek().text()) || BUILTIN_WORDS.contains(peek().text()))) {
            return true;
        }
        if (!at(Token.Kind.IDENT) && !at("::")) {
            return false;
        }
        int save = pos;
        try {
            Syntax.TypeName t = type();
            if (!at(Token.Kind.IDENT)) {
                return false;
            }
            Token after = peek(1);
            boolean declarator = after.is(";") || after.is("=") || after.is(",") || after.is("[") || after.is("(") || after.is("{");
            boolean known = knownTypes.contains(t.simpleBase()) || TEMPLATES.contains(t.simpleBase()) || t.simpleBase().equals("string");
            // "a * b;" could be a product, but "T x" with a plain name can only declare x.
            return declarator && (known || t.pointers() == 0 && !t.reference());
        } catch (RuntimeException e) {
            return false;
        } finally {
            pos = save;
        }
    }

    // ------------------------------------------------------------------ statements

    private Syntax.Block block() {
        SourcePosition start = here();
        expect("{");
        List<Syntax.Stmt> body = new ArrayList<>();
        while (!accept("}")) {
            if (at(Token.Kind.EOF)) {
                throw new InputException(start, "syntax error: block is not closed");
            }
            body.add(statement());
        }
        return new Syntax.Block(start, body);
    }

    Syntax.Stmt statement() {
        enter();
        try {
            return statementNested();
        } finally {
            depth--;
        }
    }

    private Syntax.Stmt statementNested() {
        SourcePosition p = here();
        if (at("{")) {
            return block();
        }
        if (accept(";")) {
            return new Syntax.Empty(p);
        }
        if (at(Token.Kind.IDENT)) {
            switch (peek().text()) {
                case "if": {
                    next();
                    expect("(");
                    Syntax.Expr c = conditionExpr();
                    expect(")");
                    Syntax.Stmt then = statement();
                    Syntax.Stmt otherwise = accept("else") ? statement() : null;
                    return new Syntax.If(p, c, then, otherwise);
                }
                case "for": {
                    next();
                    expect("(");
                    Syntax.Stmt init = null;
                    if (!accept(";")) {
                        init = atDeclaration() ? declaration(p) : exprStatement(p);
                    }
                    Syntax.Expr cond = at(";") ? null : conditionExpr();
                    expect(";");
                    Syntax.Expr step = at(")") ? null : expression();
                    if (at(",")) {
                        throw unsupported("comma operator in a for loop");
                    }
                    expect(")");
                    return new Syntax.For(p, init, cond, step, statement());
                }
                case "while": {
                    next();
                    expect("(");
                    Syntax.Expr c = conditionExpr();
                    expect(")");
                    return new Syntax.While(p, c, statement());
                }
                case "do": {
                    next();
                    Syntax.Stmt body = statement();
                    expect("while");
                    expect("(");
                    Syntax.Expr c = conditionExpr();
                    expect(")");
                    expect(";");
                    return new Syntax.DoWhile(p, body, c);
                }
                case "return": {
                    next();
                    Syntax.Expr v = at(";") ? null : expression();
                    expect(";");
                    return new Syntax.Return(p, v);
                }
                case "break":
                    next();
                    expect(";");
                    return new Syntax.Break(p);
                case "continue":
                    next();
                    expect(";");
                    return new Syntax.Continue(p);
                case "switch", "try":
                    return skipCompound(p, peek().text());
                case "goto", "throw", "delete", "asm", "typedef", "case", "default":
                    return skipSimple(p, peek().text());
                default:
                    if (peek(1).is(":") && !peek(1).is("::")) {
                        throw unsupported("label " + peek().text());
                    }
                    break;
            }
        }
        if (atDeclaration()) {
            return declaration(p);
        }
        return exprStatement(p);
    }

    private Syntax.Stmt skipCompound(SourcePosition p, String what) {
        next();
        if (accept("(")) {
            skipBalanced("(", ")");
        }
        expect("{");
        skipBalanced("{", "}");
        while (at("catch")) {
            next();
            expect("(");
            skipBalanced("(", ")");
            expect("{");
            skipBalanced("{", "}");
        }
        return new Syntax.Unsupported(p, "'" + what + "' statement");
    }

    private Syntax.Stmt skipSimple(SourcePosition p, String what) {
        while (!at(";") && !at(Token.Kind.EOF)) {
            next();
        }
        expect(";");
        return new Syntax.Unsupported(p, "'" + what + "' statement");
    }

    /** Skips to the token after the one closing an already opened bracket. */
    private void skipBalanced(String open, String close) {
        int depth = 1;
        while (depth > 0) {
            if (at(Token.Kind.EOF)) {
                throw new InputException(here(), "syntax error: missing '" + close + "'");
            }
            Token t = next();
            if (t.is(open)) {
                depth++;
            } else if (t.is(close)) {
                depth--;
            }
        }
    }

    private Syntax.Expr conditionExpr() {
        if (atDeclaration()) {
            throw unsupported("declaration in a condition");
        }
        return expression();
    }

    private Syntax.Stmt exprStatement(SourcePosition p) {
        Syntax.Expr e = expression();
        if (at(",")) {
            throw unsupported("comma operator");
        }
        expect(";");
        return new Syntax.ExprStmt(p, e);
    }

    private Syntax.Decl declaration(SourcePosition p) {
        boolean isStatic = false;
        boolean isConst = false;
        while (at(Token.Kind.IDENT) && SPECIFIERS.contains(peek().text())) {
            String sp = next().text();
            isStatic |= sp.equals("static");
            isConst |= sp.equals("const") || sp.equals("constexpr");
        }
        Syntax.TypeName base = type();
        if (base.base().equals("auto")) {
            throw new UnsupportedConstructException(p, "'auto' declaration");
        }
        isConst |= base.isConst();
        List<Syntax.Declarator> ds = new ArrayList<>();
        // type() took the first declarator's '*'s and '&'; they belong to it alone.
        int firstPointers = base.pointers();
        boolean firstRef = base.reference();
        Syntax.TypeName plain = new Syntax.TypeName(base.base(), base.args(), base.isConst(), 0, false);
        boolean first = true;
        do {
            int pointers = first ? firstPointers : 0;
            boolean ref = first && firstRef;
            while (at("*") || at("&")) {
                if (next().text().equals("*")) {
                    pointers++;
                    accept("const");
                } else {
                    ref = true;
                }
            }
            first = false;
            SourcePosition dpos = here();
            String name = ident();
            ds.add(declaratorRest(name, plain.withIndirection(pointers, ref), dpos));
        } while (accept(","));
        expect(";");
        return new Syntax.Decl(p, new Syntax.Specifiers(isStatic, isConst), ds);
    }

    // ------------------------------------------------------------------ expressions

    /** Deeper nesting than MadGraph ever writes; a bound keeps hostile input from overflowing the stack. */
    private static final int MAX_DEPTH = 200;
    private int depth;

    private void enter() {
        if (++depth > MAX_DEPTH) {
            depth = 0;
            throw new InputException(here(), "nested more than " + MAX_DEPTH + " levels deep");
        }
    }

    Syntax.Expr expression() {
        enter();
        try {
            return assignment();
        } finally {
            depth--;
        }
    }

    private Syntax.Expr assignment() {
        Syntax.Expr left = conditional();
        if (at(Token.Kind.PUNCT)) {
            String op = peek().text();
            switch (op) {
                case "=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>=":
                    next();
                    Syntax.Expr right = at("{") ? braceList() : assignment();
                    return new Syntax.Assign(op, left, right);
                default:
                    break;
            }
        }
        return left;
    }

    private Syntax.Expr conditional() {
        Syntax.Expr c = binary(0);
        if (accept("?")) {
            Syntax.Expr a = assignment();
            expect(":");
            Syntax.Expr b = assignment();
            return new Syntax.Conditional(c, a, b);
        }
        return c;
    }

    private static final String[][] LEVELS = {
            {"||"}, {"&&"}, {"|"}, {"^"}, {"&"}, {"==", "!="}, {"<", ">", "<=", ">="}, {"<<", ">>"}, {"+", "-"}, {"*", "/", "%"}};

    private Syntax.Expr binary(int level) {
        if (level == LEVELS.length) {
            return unary();
        }
        Syntax.Expr left = binary(level + 1);
        while (true) {
            String op = null;
            for (String o : LEVELS[level]) {
                if (at(Token.Kind.PUNCT) && peek().text().equals(o)) {
                    op = o;
                }
            }
            if (op == null) {
                return left;
            }
            next();
            left = new Syntax.Binary(op, left, binary(level + 1));
        }
    }

    private Syntax.Expr unary() {
        enter();
        try {
            return unaryNested();
        } finally {
            depth--;
        }
    }

    private Syntax.Expr unaryNested() {
        if (at(Token.Kind.PUNCT)) {
            String op = peek().text();
            switch (op) {
                case "-", "+", "!", "~", "&", "*":
                    next();
                    return new Syntax.Unary(op, unary());
                case "++", "--":
                    next();
                    return new Syntax.Unary(op + "pre", unary());
                case "(":
                    if (atCast()) {
                        next();
                        Syntax.TypeName t = type();
                        expect(")");
                        return new Syntax.Construct(t, List.of(unary()));
                    }
                    break;
                default:
                    break;
            }
        }
        if (at("new")) {
            next();
            Syntax.TypeName t = type();
            if (accept("[")) {
                Syntax.Expr n = expression();
                expect("]");
                return new Syntax.New(t, n, List.of());
            }
            List<Syntax.Expr> args = accept("(") ? arguments() : List.of();
            return new Syntax.New(t, null, args);
        }
        if (at("sizeof") || at("delete") || at("throw")) {
            throw unsupported("'" + peek().text() + "' expression");
        }
        return postfix(primary());
    }

    /** At "(" that opens a C-style cast: a builtin or library type in parentheses. */
    private boolean atCast() {
        Token t = peek(1);
        if (t.kind() != Token.Kind.IDENT) {
            return false;
        }
        if (BUILTIN_WORDS.contains(t.text()) || t.text().equals("const")) {
            return true;
        }
        if (t.text().equals("std") && peek(2).is("::") && TEMPLATES.contains(peek(3).text())) {
            return true;
        }
        return TEMPLATES.contains(t.text()) && peek(2).is("<");
    }

    private Syntax.Expr postfix(Syntax.Expr e) {
        while (true) {
            if (accept("[")) {
                Syntax.Expr i = expression();
                expect("]");
                e = new Syntax.Index(e, i);
            } else if (accept("(")) {
                e = new Syntax.Call(e, arguments());
            } else if (at(".") || at("->")) {
                boolean arrow = next().text().equals("->");
                e = new Syntax.Member(e, ident(), arrow);
            } else if (at("++") || at("--")) {
                e = new Syntax.Postfix(next().text(), e);
            } else {
                return e;
            }
        }
    }

    private Syntax.Expr primary() {
        Token t = peek();
        switch (t.kind()) {
            case INT:
                next();
                try {
                    return new Syntax.IntLit(t.text().startsWith("0") && t.text().length() > 1
                            ? Long.parseLong(t.text(), 8) : Long.parseLong(t.text()));
                } catch (NumberFormatException e) {
                    throw new InputException(SourcePosition.of(file, t.line()), "integer literal out of range: " + t.text());
                }
            case FLOAT: {
                next();
                boolean single = t.text().endsWith("f");
                String s = single ? t.text().substring(0, t.text().length() - 1) : t.text();
                double v = Double.parseDouble(s);
                return new Syntax.FloatLit(single ? (float) v : v, single);
            }
            case STRING: {
                next();
                StringBuilder sb = new StringBuilder(t.text());
                while (at(Token.Kind.STRING)) {
                    sb.append(next().text());
                }
                return new Syntax.StringLit(sb.toString());
            }
            case CHAR:
                throw unsupported("character literal");
            case PUNCT:
                if (accept("(")) {
                    Syntax.Expr e = expression();
                    expect(")");
                    return e;
                }
                if (at("::")) {
                    next();
                    return name(ident());
                }
                if (at("[")) {
                    throw unsupported("lambda expression");
                }
                throw new InputException(here(), "syntax error: unexpected " + t);
            case IDENT:
                if (t.text().equals("true") || t.text().equals("false")) {
                    next();
                    return new Syntax.BoolLit(t.text().equals("true"));
                }
                if (atBuiltinWord()) {
                    Syntax.TypeName type = type();
                    expect("(");
                    return new Syntax.Construct(type, arguments());
                }
                if (t.text().endsWith("_cast") && peek(1).is("<")) {
                    String kind = next().text();
                    if (!kind.equals("static_cast")) {
                        throw unsupported(kind);
                    }
                    next();
                    Syntax.TypeName type = type();
                    expectCloseAngle();
                    expect("(");
                    Syntax.Expr e = expression();
                    expect(")");
                    return new Syntax.Construct(type, List.of(e));
                }
                return name(next().text());
            default:
                throw new InputException(here(), "syntax error: unexpected " + t);
        }
    }

    /** A name after its first component: more {@code ::} parts, and a library template's arguments. */
    private Syntax.Expr name(String first) {
        StringBuilder sb = new StringBuilder(first);
        String last = first;
        while (at("::") && peek(1).kind() == Token.Kind.IDENT) {
            next();
            last = ident();
            sb.append("::").append(last);
        }
        if (TEMPLATES.contains(last) && at("<")) {
            next();
            List<Syntax.TypeName> args = new ArrayList<>();
            do {
                args.add(type());
            } while (accept(","));
            expectCloseAngle();
            Syntax.TypeName type = new Syntax.TypeName(sb.toString(), args, false, 0, false);
            if (accept("(")) {
                return new Syntax.Construct(type, arguments());
            }
            if (at("{")) {
                return new Syntax.Construct(type, braceList().items());
            }
            throw new InputException(here(), "syntax error: expected '(' after " + type);
        }
        return new Syntax.Name(sb.toString());
    }
}
