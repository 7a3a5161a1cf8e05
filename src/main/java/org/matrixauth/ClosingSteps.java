package org.matrixauth;

import java.util.ArrayList;
import java.util.List;
import org.matrixauth.error.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closing, as an ordered list of steps, each bounded by itself: a step that fails or is
 * interrupted is logged and the next one is taken all the same, so that a database that does not
 * answer cannot keep the pool open. An interrupt does not cut the closing short; the thread's
 * interrupt flag is set again at the end.
 */
final class ClosingSteps {
    private static final Logger LOG = LoggerFactory.getLogger(ClosingSteps.class);

    @FunctionalInterface
    interface Step {
        void run() throws Exception;
    }

    private record Named(String what, Step step) {}

    private final List<Named> steps = new ArrayList<>();

    void add(String what, Step step) {
        steps.add(new Named(what, step));
    }

    void runAll() {
        boolean interrupted = Thread.interrupted(); // cleared, so that the bounded waits of the steps still wait
        for (Named named : steps) {
            interrupted |= run(named);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return whether the step was interrupted, which ends it */
    private static boolean run(Named named) {
        try {
            named.step().run();
        } catch (InterruptedException e) {
            LOG.warn("Interrupted while closing {}; closing the rest", named.what());
            return true;
        } catch (Exception e) {
            LOG.warn("Closing {} failed: {}", named.what(), Failures.describe(e));
        }
        return false;
    }
}
