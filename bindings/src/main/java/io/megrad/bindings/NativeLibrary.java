package io.megrad.bindings;

import io.megrad.runtime.InternalException;
import org.bytedeco.javacpp.Pointer;

import java.nio.file.Path;

/**
 * A loaded process library (see {@code native/include/megrad/abi.h}). Loading is once per path and
 * JVM; the library stays loaded. Thread-safe: each {@link NativeEvaluator} owns its own process state.
 */
public final class NativeLibrary {
    private final Path path;
    final Pointer handle;
    private final String description;

    private NativeLibrary(Path path, Pointer handle) {
        this.path = path;
        this.handle = handle;
        this.description = NativeApi.mgl_describe(handle);
    }

    /** Loads a library built by {@link NativeBuilder} (or {@code megrad native}). */
    public static NativeLibrary load(Path library) {
        Pointer h = NativeApi.mgl_open(library.toAbsolutePath().toString());
        if (h == null || h.isNull()) {
            throw new InternalException(NativeApi.mgl_open_error());
        }
        return new NativeLibrary(library, h);
    }

    public Path path() {
        return path;
    }

    /** The library's own description: one line of JSON (name, externals, inputs, scalar, mode, width). */
    public String description() {
        return description;
    }
}
