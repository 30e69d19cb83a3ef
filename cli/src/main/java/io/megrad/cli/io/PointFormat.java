package io.megrad.cli.io;

import io.megrad.runtime.UsageException;
import java.util.Locale;

/** The formats of points inputs, as named by {@code --points-format}. */
enum PointFormat {
    JSON, CSV, LHE;

    /** {@code json}, {@code csv} or {@code lhe} in any case; {@code option} names the flag for the message. */
    static PointFormat named(String name, String option) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("unknown " + option + " '" + name + "': expected json, csv or lhe");
        }
    }

    /**
     * The format a file name's extension implies, or null when it implies none. A {@code .gz}
     * suffix is looked through ({@code events.lhe.gz}); whether a file is compressed is told from
     * its content, not its name.
     */
    static PointFormat ofFileName(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".gz")) {
            lower = lower.substring(0, lower.length() - 3);
        }
        if (lower.endsWith(".json")) {
            return JSON;
        }
        if (lower.endsWith(".csv")) {
            return CSV;
        }
        return lower.endsWith(".lhe") ? LHE : null;
    }
}
