package io.megrad.codegen.ir;

/**
 * A value the program reads from outside: a param-card entry. {@code cardName} is the name the
 * output's own reading code uses (e.g. {@code mdl_MT}); {@code block} and {@code indices} are the
 * param-card location from the output's ident card (null block when the card does not list it, in
 * which case {@code defaultValue} is used, as MadGraph does).
 */
public record ExternalInput(int index, String cardName, String block, java.util.List<Integer> indices, double defaultValue) {
    public ExternalInput {
        indices = indices == null ? java.util.List.of() : java.util.List.copyOf(indices);
    }
}
