package io.megrad.codegen.build;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.IntSupplier;

/**
 * A separate JVM for {@link JavaPortCompilerTest}: compiles {@code CLASS} from {@code SOURCE_FILE}
 * into cache {@code DIR} when the file {@code GO} appears, and prints what the class returns.
 */
public final class CompileOnce {
    private CompileOnce() {
    }

    public static void main(String[] args) throws Exception {
        Path cache = Path.of(args[0]);
        String className = args[1];
        String source = Files.readString(Path.of(args[2]), StandardCharsets.UTF_8);
        Path go = Path.of(args[3]);
        // Both JVMs start compiling as close together as polling allows, after their slow start-up.
        while (!Files.exists(go)) {
            Thread.onSpinWait();
        }
        Class<?> c = new JavaPortCompiler(cache).compile(className, source);
        System.out.println(((IntSupplier) c.getDeclaredConstructor().newInstance()).getAsInt());
    }
}
