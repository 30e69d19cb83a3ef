package io.megrad.cli.eval;

import io.megrad.codegen.JavaPort;
import io.megrad.runtime.ProcessEvaluator;
import io.megrad.runtime.Seed;
import io.megrad.runtime.slha.ParamCard;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * One evaluator per worker thread for one subprocess (generated ports keep Fortran's static
 * storage, so they are never shared between threads). All share one compiled class.
 */
final class EvaluatorPool {
    private final ThreadLocal<ProcessEvaluator> perThread;
    private final ProcessEvaluator first;

    EvaluatorPool(JavaPort port, ParamCard card, List<Seed> seeds, Path cache, JavaPort.Mode mode) {
        this(() -> port.evaluator(card, seeds, cache, mode));
    }

    /** Evaluators from {@code make} (e.g. a native library's), one per thread. */
    EvaluatorPool(Supplier<ProcessEvaluator> make) {
        this.first = make.get();
        ProcessEvaluator[] claimed = {first};
        this.perThread = ThreadLocal.withInitial(() -> {
            synchronized (claimed) {
                if (claimed[0] != null) {
                    ProcessEvaluator e = claimed[0];
                    claimed[0] = null;
                    return e;
                }
            }
            return make.get();
        });
    }

    /** The evaluator that was built first (for warnings and masses). */
    ProcessEvaluator first() {
        return first;
    }

    ProcessEvaluator forCurrentThread() {
        return perThread.get();
    }
}
