package io.megrad.fuzz;

import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * For {@code @AddLifecycleHook(NeedsCorpus.class)} on a property over corpus seeds: skipped with a
 * message when there is no corpus, except under {@code CI=true}, where it runs and fails in
 * {@link FuzzCorpus#require()}.
 */
public final class NeedsCorpus implements SkipExecutionHook {
    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
        if (FuzzCorpus.find() == null && !"true".equals(System.getenv("CI"))) {
            return SkipResult.skip("MadGraph corpus not found (set MEGRAD_CORPUS or put it in ../shared/madgraph)");
        }
        return SkipResult.doNotSkip();
    }
}
