package io.megrad.codegen.fortran;

import io.megrad.runtime.SourcePosition;

/**
 * One Fortran statement after fixed-form processing: continuation lines joined, comments removed,
 * letters outside string literals upper-cased, INCLUDE already expanded.
 *
 * @param label the statement label from columns 1–5, or 0
 */
public record LogicalLine(String text, int label, SourcePosition position) {
}
