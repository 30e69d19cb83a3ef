package io.megrad.physics;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Locates the MadGraph corpus: {@code $MEGRAD_CORPUS}, else {@code ../shared/madgraph} relative to
 * the repository root (tests run from the module directory, so that is {@code ../../shared/madgraph}).
 * In CI ({@code CI=true}) a missing corpus fails; elsewhere the corpus tests are skipped with a
 * message naming where they looked.
 */
final class Corpus {
    private Corpus() {
    }

    static Path root() {
        String env = System.getenv("MEGRAD_CORPUS");
        Path[] candidates = env != null && !env.isBlank()
                ? new Path[]{Path.of(env)}
                : new Path[]{Path.of("..", "..", "shared", "madgraph"), Path.of("..", "shared", "madgraph")};
        for (Path c : candidates) {
            if (Files.isRegularFile(c.resolve("README.md"))) {
                return c.toAbsolutePath().normalize();
            }
        }
        StringBuilder where = new StringBuilder();
        for (Path c : candidates) {
            where.append(' ').append(c.toAbsolutePath().normalize());
        }
        String msg = "MadGraph corpus not found (looked in" + where + "; set MEGRAD_CORPUS)";
        if ("true".equals(System.getenv("CI"))) {
            fail(msg);
        }
        Assumptions.abort(msg);
        return null;
    }
}
