package org.matrixauth.observe;

import org.matrixauth.auth.Requester;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OBS-2: the outcome of authentication, and who is asking, on the request's trace. The
 * OpenTelemetry API is an optional dependency: {@link #forClasspath()} loads the class that uses
 * it only where the API is there, and otherwise answers one that does nothing.
 */
public interface RequestSpans {
    /** A request let through as this requester. */
    void authenticated(Requester requester);

    /** A request refused with this Matrix errcode. */
    void refused(String errcode);

    /** The OpenTelemetry spans where the application has the API (or the Java agent's bridge of it), else nothing. */
    static RequestSpans forClasspath() {
        try {
            Class.forName("io.opentelemetry.api.trace.Span", false, RequestSpans.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError absent) {
            return NoSpans.INSTANCE;
        }
        LoggerFactory.getLogger(RequestSpans.class).debug("OpenTelemetry API present: requesters go on the current span");
        return new OpenTelemetrySpans();
    }

    /** Without the API: no trace to annotate. */
    enum NoSpans implements RequestSpans {
        INSTANCE;

        @Override
        public void authenticated(Requester requester) {}

        @Override
        public void refused(String errcode) {}
    }
}
