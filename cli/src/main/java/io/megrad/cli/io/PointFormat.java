package io.megrad.cli.io;

import io.megrad.runtime.UsageException;
import java.util.Locale;

/** The formats of points inputs and of result outputs, as named on the command line. */
enum PointFormat {
    JSON, CSV;

    /** {@code json} or {@code csv} in any case; {@code option} names the flag for the message. */
    static PointFormat named(String name, String option) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("unknown " + option + " '" + name + "': expected json or csv");
        }
    }

    /** The format a file name's extension implies, or null when it implies none. */
    static PointFormat ofFileName(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".json")) {
            return JSON;
        }
        return lower.endsWith(".csv") ? CSV : null;
    }
}
