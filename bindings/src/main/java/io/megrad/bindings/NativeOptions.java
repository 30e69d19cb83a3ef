package io.megrad.bindings;

import io.megrad.runtime.UsageException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * How a process library is built: the AD scalar, the derivative mode, where CoDiPack's headers are,
 * and the forward vector width (directions carried per pass).
 *
 * <pre>{@code
 * NativeOptions o = NativeOptions.resolve(null, "forward", null, System.getenv(), System.err::println);
 * }</pre>
 *
 * <p>CoDiPack is GPL-3.0: a process library built with {@link Ad#CODIPACK} is covered by that licence
 * when distributed. The built-in scalar has no such condition.
 */
public record NativeOptions(Ad ad, Mode mode, Path codipackInclude, int width) {
    /** The AD scalar compiled into the library. */
    public enum Ad {
        /** megrad::Dual&lt;width&gt;: megrad's own forward vector-mode scalar. */
        BUILTIN,
        /** CoDiPack 3: codi::RealForwardVec&lt;width&gt; or a thread-local-tape codi::RealReverse. */
        CODIPACK
    }

    public enum Mode { FORWARD, REVERSE }

    /** Directions per forward pass unless asked otherwise: covers a 2 → 2 final state's 8 components in one pass. */
    public static final int DEFAULT_WIDTH = 8;

    public NativeOptions {
        if (ad == Ad.CODIPACK && codipackInclude == null) {
            throw new IllegalArgumentException("CoDiPack options need its include directory");
        }
        if (ad == Ad.BUILTIN && mode == Mode.REVERSE) {
            throw new IllegalArgumentException("the built-in scalar is forward-only");
        }
        if (width < 1 || width > 64) {
            throw new UsageException("--width must be between 1 and 64, not " + width);
        }
    }

    /** The built-in forward scalar (no CoDiPack, no licence condition). */
    public static NativeOptions builtin() {
        return new NativeOptions(Ad.BUILTIN, Mode.FORWARD, null, DEFAULT_WIDTH);
    }

    /**
     * Resolves command-line choices. CoDiPack comes from {@code codipackDir}, else from
     * {@code CODIPACK_INCLUDE}. {@code ad} null means CoDiPack when found, else the built-in scalar
     * (with a one-line notice); {@code mode} null means forward.
     *
     * @throws UsageException for {@code codipack} or {@code reverse} without CoDiPack, or a bad value
     */
    public static NativeOptions resolve(String ad, String mode, Path codipackDir, Map<String, String> env,
                                        Consumer<String> notice) {
        Mode m = switch (mode == null ? "forward" : mode) {
            case "forward" -> Mode.FORWARD;
            case "reverse" -> Mode.REVERSE;
            default -> throw new UsageException("unknown --mode '" + mode + "': use forward or reverse");
        };
        Path include = codipackDir;
        String source = "--codipack";
        if (include == null) {
            String e = env.get("CODIPACK_INCLUDE");
            if (e != null && !e.isBlank()) {
                include = Path.of(e);
                source = "CODIPACK_INCLUDE";
            }
        }
        if (include != null && !Files.isRegularFile(include.resolve("codi.hpp"))) {
            throw new UsageException(source + " " + include + " is not CoDiPack's include directory (no codi.hpp in it)");
        }
        String how = "pass --codipack DIR (CoDiPack's include directory) or set CODIPACK_INCLUDE";
        Ad a;
        if (ad == null) {
            if (include != null) {
                a = Ad.CODIPACK;
            } else if (m == Mode.REVERSE) {
                throw new UsageException("--mode reverse needs CoDiPack (the built-in scalar is forward-only): " + how);
            } else {
                notice.accept("CoDiPack not found (" + how + "): using megrad's built-in forward-mode scalar");
                a = Ad.BUILTIN;
            }
        } else {
            a = switch (ad) {
                case "builtin" -> Ad.BUILTIN;
                case "codipack" -> Ad.CODIPACK;
                default -> throw new UsageException("unknown --ad '" + ad + "': use codipack or builtin");
            };
            if (a == Ad.CODIPACK && include == null) {
                throw new UsageException("--ad codipack: CoDiPack not found: " + how);
            }
            if (a == Ad.BUILTIN && m == Mode.REVERSE) {
                throw new UsageException("--mode reverse needs --ad codipack: the built-in scalar is forward-only");
            }
        }
        return new NativeOptions(a, m, a == Ad.CODIPACK ? include.toAbsolutePath().normalize() : null, DEFAULT_WIDTH);
    }

    public NativeOptions withWidth(int w) {
        return new NativeOptions(ad, mode, codipackInclude, w);
    }

    /** The preprocessor choice of native/include/megrad/runtime.hpp. */
    String adMacro() {
        if (ad == Ad.BUILTIN) {
            return "MEGRAD_AD_BUILTIN";
        }
        return mode == Mode.REVERSE ? "MEGRAD_AD_CODIPACK_REVERSE" : "MEGRAD_AD_CODIPACK_FORWARD";
    }

    /** A short label: builtin-forward-8, codipack-reverse, ... */
    public String label() {
        return ad.name().toLowerCase() + "-" + mode.name().toLowerCase() + (mode == Mode.FORWARD ? "-" + width : "");
    }
}
