package io.megrad.codegen.ir;

/** Where a variable lives; decides how backends allocate it and how long its value persists. */
public sealed interface Storage {
    /** A local whose value does not survive the call. */
    record Local() implements Storage {
    }

    /** A local that keeps its value between calls (SAVE, or initialised by DATA). */
    record Saved() implements Storage {
    }

    /** The {@code index}-th dummy argument (0-based). */
    record Argument(int index) implements Storage {
    }

    /** Member {@code member} (0-based) of a COMMON block; shared by every procedure naming it. */
    record Common(String block, int member) implements Storage {
    }
}
