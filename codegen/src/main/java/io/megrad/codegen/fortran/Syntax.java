package io.megrad.codegen.fortran;

import io.megrad.runtime.SourcePosition;

import java.util.List;

/**
 * The untyped syntax tree the Fortran parser produces. It stays close to the source so that errors
 * can name what the user wrote; {@link Lowering} turns it into the typed IR.
 */
final class Syntax {
    private Syntax() {
    }

    // ---------------------------------------------------------------- expressions

    sealed interface Expr permits IntLit, RealLit, LogicalLit, StringLit, ComplexLit, Name, Apply, Unary, Binary, Range, ImpliedDo {
    }

    record IntLit(long value) implements Expr {
    }

    /** A real literal; {@code doublePrecision} is false for default-kind REAL literals such as {@code 0.5}. */
    record RealLit(double value, boolean doublePrecision, String text) implements Expr {
    }

    record LogicalLit(boolean value) implements Expr {
    }

    record StringLit(String value) implements Expr {
    }

    record ComplexLit(Expr re, Expr im) implements Expr {
    }

    record Name(String name) implements Expr {
    }

    /** {@code NAME(args)}: an array element or a function call; which one is decided by the symbol table. */
    record Apply(String name, List<Expr> args) implements Expr {
    }

    record Unary(String op, Expr operand) implements Expr {
    }

    record Binary(String op, Expr left, Expr right) implements Expr {
    }

    /** {@code lo:hi} inside an argument list (substring or array section). */
    record Range(Expr lo, Expr hi) implements Expr {
    }

    /** {@code (items, VAR = start, end [, step])} in DATA statements. */
    record ImpliedDo(List<Expr> items, String var, Expr start, Expr end, Expr step) implements Expr {
    }

    // ---------------------------------------------------------------- declarations

    enum BaseType { INTEGER, REAL, COMPLEX, LOGICAL, CHARACTER, DERIVED }

    /** A type spec; {@code kind} is the byte size of one real component (REAL*8, COMPLEX*16 → 8; REAL → 4). */
    record TypeSpec(BaseType base, int kind) {
    }

    /** One array dimension; a null {@code upper} is the assumed size {@code *}. */
    record Dim(Expr lower, Expr upper) {
    }

    record Entity(String name, List<Dim> dims, Expr init) {
    }

    record DataValue(Expr repeat, Expr value) {
    }

    record DataSet(List<Expr> objects, List<DataValue> values) {
    }

    record CommonBlock(String name, List<Entity> members) {
    }

    // ---------------------------------------------------------------- statements

    sealed interface Stmt permits TypeDecl, DimensionStmt, ParameterStmt, DataStmt, CommonStmt, SaveStmt, ImplicitStmt,
            ExternalStmt, IntrinsicStmt, Assign, Call, IfBlock, LogicalIf, DoLoop, DoWhile, Simple, Goto, Unsupported,
            StatementParser.PendingDo {
        SourcePosition pos();
    }

    record TypeDecl(SourcePosition pos, TypeSpec type, List<Entity> entities, boolean parameterAttribute, boolean saveAttribute) implements Stmt {
    }

    record DimensionStmt(SourcePosition pos, List<Entity> entities) implements Stmt {
    }

    record ParameterStmt(SourcePosition pos, List<Entity> definitions) implements Stmt {
    }

    record DataStmt(SourcePosition pos, List<DataSet> sets) implements Stmt {
    }

    record CommonStmt(SourcePosition pos, List<CommonBlock> blocks) implements Stmt {
    }

    /** SAVE with names; an empty list saves every local. */
    record SaveStmt(SourcePosition pos, List<String> names) implements Stmt {
    }

    /** IMPLICIT NONE ({@code rules} empty) or IMPLICIT type (letter ranges). */
    record ImplicitStmt(SourcePosition pos, boolean none, List<ImplicitRule> rules) implements Stmt {
    }

    record ImplicitRule(TypeSpec type, char from, char to) {
    }

    record ExternalStmt(SourcePosition pos, List<String> names) implements Stmt {
    }

    record IntrinsicStmt(SourcePosition pos, List<String> names) implements Stmt {
    }

    record Assign(SourcePosition pos, Expr target, Expr value) implements Stmt {
    }

    record Call(SourcePosition pos, String name, List<Expr> args) implements Stmt {
    }

    /** A branch of an IF block; {@code condition} is null for ELSE. */
    record Branch(SourcePosition pos, Expr condition, List<Stmt> body) {
    }

    record IfBlock(SourcePosition pos, List<Branch> branches) implements Stmt {
    }

    record LogicalIf(SourcePosition pos, Expr condition, Stmt then) implements Stmt {
    }

    record DoLoop(SourcePosition pos, String var, Expr start, Expr end, Expr step, List<Stmt> body) implements Stmt {
    }

    /** DO WHILE (cond), or a DO without control ({@code condition} null) that only EXIT leaves. */
    record DoWhile(SourcePosition pos, Expr condition, List<Stmt> body) implements Stmt {
    }

    enum SimpleKind { RETURN, CYCLE, EXIT, CONTINUE, STOP }

    record Simple(SourcePosition pos, SimpleKind kind, int label) implements Stmt {
    }

    record Goto(SourcePosition pos, int target) implements Stmt {
    }

    /** A statement the parser recognised but megrad does not translate; an error only if its unit is used. */
    record Unsupported(SourcePosition pos, String what) implements Stmt {
    }

    // ---------------------------------------------------------------- program units

    enum UnitKind { SUBROUTINE, FUNCTION, BLOCK_DATA, PROGRAM, MODULE }
}
