package org.matrixauth.testing;

/** A container a test started, serving on a free port until closed. */
public interface RunningServer extends AutoCloseable {
    int port();

    /** Stops the container, which destroys its filters; again is harmless. */
    @Override
    void close();
}
