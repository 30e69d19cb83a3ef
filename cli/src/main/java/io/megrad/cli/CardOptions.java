package io.megrad.cli;

import io.megrad.codegen.discover.MadGraphOutput;
import io.megrad.runtime.InputException;
import io.megrad.runtime.SourcePosition;
import io.megrad.runtime.UsageException;
import io.megrad.runtime.slha.ParamCard;
import io.megrad.runtime.slha.ParamKey;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code --param-card} and {@code --set}, shared by the commands that evaluate. */
final class CardOptions {
    @CommandLine.Option(names = "--param-card", description = "Param card (default: DIR/Cards/param_card.dat).")
    Path paramCard;

    @CommandLine.Option(names = "--set", description = "Override a param-card entry: BLOCK:ID=VALUE (repeatable).")
    List<String> sets = new ArrayList<>();

    /**
     * The card to use, with every --set applied; setting an entry absent from the card is an error.
     * A repeated entry resolves as the output's own code would (first value for Fortran, last for
     * C++), with a warning.
     */
    ParamCard load(MadGraphOutput out) {
        Path cardPath = paramCard != null ? paramCard : out.paramCard();
        ParamCard card = ParamCard.read(cardPath, out.cardDuplicates());
        card.warnings().forEach(w -> System.err.println("megrad: warning: " + w));
        for (String s : sets) {
            int eq = s.indexOf('=');
            if (eq < 0) {
                throw new UsageException("bad --set '" + s + "': expected BLOCK:ID=VALUE");
            }
            ParamKey key = ParamKey.parse(s.substring(0, eq).strip());
            double value;
            try {
                value = Double.parseDouble(s.substring(eq + 1).strip().replace('d', 'e').replace('D', 'e'));
            } catch (NumberFormatException e) {
                throw new UsageException("bad value in --set '" + s + "'");
            }
            if (!card.contains(key)) {
                throw new InputException(SourcePosition.of(cardPath.toString(), 0), "no entry " + key + " to --set");
            }
            card = card.with(key, value);
        }
        return card;
    }
}
