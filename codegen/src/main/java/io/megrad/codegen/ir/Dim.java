package io.megrad.codegen.ir;

/** One array dimension with constant bounds; {@code upper} is null for an assumed-size dimension ({@code *}). */
public record Dim(int lower, Integer upper) {
    public Integer extent() {
        return upper == null ? null : upper - lower + 1;
    }
}
