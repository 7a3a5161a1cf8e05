package org.matrixauth.oauth;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether the authorization server answers at all, so that a request needing it while it does not
 * is told 503 at once (OAU-2) rather than hold a request thread for the whole timeout, or wait for
 * a place among FLOOD-3's lookups and get 429 "busy". After an introspection got no answer
 * (refused, reset, timed out) the server is down until one gets an answer, whatever it says; while
 * down, one introspection a second goes out to find out, the rest fail without trying. Asked
 * where introspections go out, past FLOOD's limit: a flood refused there cannot take the one
 * attempt a second and keep the server down for everyone.
 */
final class Reachability {
    /** How often, while the server is down, a request goes on to try it. */
    static final long PROBE_INTERVAL_MS = 1_000;

    private final AtomicInteger pending = new AtomicInteger();
    private volatile long lastAnswerNanos = System.nanoTime();
    private volatile boolean down;
    private final AtomicLong nextProbeNanos = new AtomicLong(System.nanoTime());

    /** An introspection went out. */
    void sent() {
        pending.incrementAndGet();
    }

    /** The server answered one, whatever the answer (an error status, a body too large, not JSON). */
    void answered() {
        pending.decrementAndGet();
        lastAnswerNanos = System.nanoTime();
        down = false;
    }

    /** One got no answer: the connection failed or the time ran out. */
    void unanswered() {
        pending.decrementAndGet();
        down = true;
    }

    /** Whether an introspection may go out: always while the server answers, one a second while it is down. */
    boolean mayTry() {
        if (!down) {
            return true;
        }
        long now = System.nanoTime();
        long next = nextProbeNanos.get();
        return now - next >= 0 && nextProbeNanos.compareAndSet(next, now + PROBE_INTERVAL_MS * 1_000_000);
    }

    /** OBS-5: why introspections fail now, or null while the server answers. */
    String problem() {
        return down ? "no answer to introspections for " + (System.nanoTime() - lastAnswerNanos) / 1_000_000 + " ms" : null;
    }

    /**
     * Whether introspections are waiting and none has been answered since this moment: the places
     * they hold are held by a server that does not answer.
     */
    boolean silentSince(long nanos) {
        return pending.get() > 0 && lastAnswerNanos - nanos < 0;
    }
}
