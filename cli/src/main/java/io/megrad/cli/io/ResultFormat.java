package io.megrad.cli.io;

import io.megrad.runtime.UsageException;
import java.util.Locale;

/** The formats of result outputs, as named by {@code --format}. */
enum ResultFormat {
    JSON, JSONL, CSV, NPY;

    /** {@code json}, {@code jsonl}, {@code csv} or {@code npy} in any case; {@code option} names the flag. */
    static ResultFormat named(String name, String option) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("unknown " + option + " '" + name + "': expected json, jsonl, csv or npy");
        }
    }
}
