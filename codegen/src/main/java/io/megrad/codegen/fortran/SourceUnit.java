package io.megrad.codegen.fortran;

import io.megrad.runtime.SourcePosition;

import java.util.List;

/**
 * A program unit as found in a source file, before its body is parsed. Bodies are parsed only for
 * units that the process actually reaches, so unrelated code in the same files (I/O helpers, loop
 * caches using derived types) never has to be understood.
 *
 * @param resultType the declared result type of a FUNCTION, or null (implicit typing, or not a function)
 * @param module     the enclosing MODULE's name for a contained procedure, else null
 */
record SourceUnit(Syntax.UnitKind kind, String name, Syntax.TypeSpec resultType, List<String> params,
                  List<LogicalLine> body, SourcePosition pos, String module) {
}
