package io.megrad.codegen.cpp;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * C++ names become Java identifiers in the generated port. Fortran names are upper case and never
 * meet Java's keywords or the emitter's own lower-case names; C++ names can, so those get a
 * trailing underscore.
 */
final class JavaSafeNames {
    private JavaSafeNames() {
    }

    private static final Set<String> JAVA_WORDS = Set.of(
            "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const", "continue",
            "default", "do", "double", "else", "enum", "extends", "final", "finally", "float", "for", "goto", "if",
            "implements", "import", "instanceof", "int", "interface", "long", "native", "new", "package", "private",
            "protected", "public", "return", "short", "static", "strictfp", "super", "switch", "synchronized", "this",
            "throw", "throws", "transient", "try", "void", "volatile", "while", "true", "false", "null", "var", "yield",
            "record", "sealed", "permits", "_");
    /** Names the emitter generates inside methods or as fields. */
    private static final Set<String> EMITTER_WORDS = Set.of("N", "k", "ANS", "ANS_d", "ZERO_D", "inputs", "inputSeeds");
    private static final Pattern EMITTER_PATTERNS = Pattern.compile("(ix\\d+.*|trip\\d+.*|g\\d+_.*|[TSC]_.*|.*_(d|a|o|re|im|do))");
    /** Methods of the generated class and of java.lang.Object. */
    private static final Set<String> METHOD_WORDS = Set.of("setup", "evaluate", "directions", "setInputs", "initData",
            "resetPointState", "getClass", "hashCode", "equals", "toString", "notify", "notifyAll", "wait", "clone", "finalize");

    /** A variable name that cannot clash with Java or with the emitter's names. */
    static String variable(String name) {
        return JAVA_WORDS.contains(name) || EMITTER_WORDS.contains(name) || EMITTER_PATTERNS.matcher(name).matches() ? name + "_" : name;
    }

    /** A procedure (method) name that cannot clash with Java or the generated class's methods. */
    static String procedure(String name) {
        return JAVA_WORDS.contains(name) || METHOD_WORDS.contains(name) || name.contains("$") ? name.replace("$", "_") + "_" : name;
    }
}
