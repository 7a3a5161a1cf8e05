package org.matrixauth.example;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Matcher;
import org.matrixauth.servlet.RouteRule;
import org.matrixauth.servlet.RouteRules;

/**
 * One endpoint of the example: a method and a path, what it needs from the filter, when it exists,
 * and its work. {@link RouteTable} lists them all.
 *
 * @param flags the route-rule flags it needs, as a route rule writes them ({@code public},
 *     {@code guest expired locked}, {@code admin}, {@code optional guest}, {@code mas}, ...), read
 *     by the library's own parser so the example never re-implements their meaning;
 *     {@code undelegated} is not written here but follows from {@link Served#UNDELEGATED}
 */
record Endpoint(String method, PathTemplate path, String flags, Served served, Handler handler) {
    /**
     * When Synapse serves the endpoint: some only while it authenticates by itself (its own
     * login, logout, registration by shared secret), some only behind the authorization server
     * (its provisioning API, the discovery endpoints).
     */
    enum Served {
        ALWAYS,
        /**
         * Without delegation its servlet does not serve it (404, or 405 beside a served method);
         * the filter answers a {@code mas} route 404 then too.
         */
        DELEGATED,
        /** With delegation the filter answers 404 before any token (the rule's {@code undelegated} flag), as Synapse does. */
        UNDELEGATED;

        boolean in(boolean delegated) {
            return this == ALWAYS || (this == DELEGATED) == delegated;
        }
    }

    /** One endpoint's work, given the path's match (its groups are the path's {@code *} segments). */
    @FunctionalInterface
    interface Handler {
        void handle(Matcher path, HttpServletRequest request, HttpServletResponse response, Homeserver homeserver)
                throws IOException;
    }

    /** The work of an endpoint whose path has no parameters. */
    @FunctionalInterface
    interface PlainHandler {
        void handle(HttpServletRequest request, HttpServletResponse response, Homeserver homeserver) throws IOException;
    }

    static Endpoint of(String method, String path, String flags, Served served, Handler handler) {
        return new Endpoint(method, PathTemplate.of(path), flags, served, handler);
    }

    static Endpoint of(String method, String path, String flags, Served served, PlainHandler handler) {
        return of(method, path, flags, served,
                (match, request, response, homeserver) -> handler.handle(request, response, homeserver));
    }

    /** The route-rule line that gives this endpoint what it needs, as web.xml must list it. */
    String ruleLine() {
        return method + " " + path + " " + flags + (served == Served.UNDELEGATED ? " undelegated" : "");
    }

    /** What it needs from the filter, as the filter reads {@link #ruleLine()}. */
    RouteRule rule() {
        return RouteRules.parse(ruleLine()).match(method, path.examples().get(0));
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}
