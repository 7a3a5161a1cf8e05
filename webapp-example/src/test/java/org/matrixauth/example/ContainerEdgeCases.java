package org.matrixauth.example;

import java.util.List;
import org.matrixauth.testing.RawHttp;

/**
 * Requests that Jetty and Tomcat, both at their defaults, treat differently or refuse before the
 * web application sees them, each with what a client gets from each container for the unchanged
 * war (README, "Containers"). Each request is sent as written, on a connection of its own.
 */
final class ContainerEdgeCases {
    private ContainerEdgeCases() {}

    enum Container { JETTY, TOMCAT }

    /** What the client gets back. */
    record Answer(int status, Kind kind, String errcode) {
        enum Kind {
            /** The homeserver's answer for alice's whoami: the request was let through. */
            SERVED,
            /** A Matrix error, from the filter or the web application's error page. */
            MATRIX,
            /** The container's own HTML error page: no application code ran. */
            CONTAINER_PAGE,
            /** The container's status alone, without a body. */
            EMPTY
        }

        static Answer served() {
            return new Answer(200, Kind.SERVED, null);
        }

        static Answer matrix(int status, String errcode) {
            return new Answer(status, Kind.MATRIX, errcode);
        }

        static Answer page(int status) {
            return new Answer(status, Kind.CONTAINER_PAGE, null);
        }

        static Answer empty(int status) {
            return new Answer(status, Kind.EMPTY, null);
        }

        /** What is wrong with the response, or null if it is this answer. */
        String problem(RawHttp.Response response) {
            String type = String.valueOf(response.header("Content-Type"));
            String got = response.status() + " " + type + " " + response.body().substring(0, Math.min(120, response.body().length()));
            if (response.status() != status) {
                return "expected " + this + ", got " + got;
            }
            boolean matches = switch (kind) {
                case SERVED -> type.startsWith("application/json") && response.body().contains("\"user_id\":\"@alice:example.test\"");
                case MATRIX -> type.startsWith("application/json") && errcode.equals(response.json().get("errcode"));
                case CONTAINER_PAGE -> type.startsWith("text/html");
                case EMPTY -> response.body().isEmpty();
            };
            return matches ? null : "expected " + this + ", got " + got;
        }
    }

    record Case(String name, String request, Answer jetty, Answer tomcat) {
        Answer on(Container container) {
            return container == Container.JETTY ? jetty : tomcat;
        }
    }

    private static final String WHOAMI = "/_matrix/client/v3/account/whoami";
    private static final String CLOSE = "Host: localhost\r\nConnection: close\r\n";
    private static final String AUTH = "Authorization: Bearer alice_token\r\n";

    private static String get(String target, String headers) {
        return "GET " + target + " HTTP/1.1\r\n" + CLOSE + headers + "\r\n";
    }

    static final List<Case> CASES = List.of(
            // Path normalisation: Tomcat merges "//" and decodes "%2e" before it resolves dot segments.
            new Case("empty segment", get("/_matrix/client/v3//account/whoami", AUTH), Answer.page(400), Answer.served()),
            new Case("leading //", get("/" + WHOAMI, AUTH), Answer.page(400), Answer.served()),
            new Case("encoded dot segment", get(WHOAMI + "/%2e%2e/whoami", AUTH), Answer.page(400), Answer.served()),
            new Case("dot segment", get(WHOAMI + "/../whoami", AUTH), Answer.served(), Answer.served()),
            // The filter matches the normalised path the container routes on: no public prefix lifts a rule.
            new Case("public prefix, encoded dot segment, no token", get("/_matrix/client/versions/%2e%2e/v3/account/whoami", ""),
                    Answer.page(400), Answer.matrix(401, "M_MISSING_TOKEN")),
            new Case("public prefix, dot segment, no token", get("/_matrix/client/versions/../v3/account/whoami", ""),
                    Answer.matrix(401, "M_MISSING_TOKEN"), Answer.matrix(401, "M_MISSING_TOKEN")),
            new Case("public prefix with a path parameter, dot segment, no token",
                    get("/_matrix/client/versions;x=/../v3/account/whoami", ""),
                    Answer.matrix(401, "M_MISSING_TOKEN"), Answer.matrix(401, "M_MISSING_TOKEN")),
            new Case("above the root", get("/../_matrix/client/versions", ""), Answer.page(400), Answer.page(400)),
            // Path parameters are cut before routing, ;jsessionid= included; an access token there is no token.
            new Case(";jsessionid= path parameter", get(WHOAMI + ";jsessionid=ABC", AUTH), Answer.served(), Answer.served()),
            new Case(";jsessionid= path parameter, no token", get(WHOAMI + ";jsessionid=ABC", ""),
                    Answer.matrix(401, "M_MISSING_TOKEN"), Answer.matrix(401, "M_MISSING_TOKEN")),
            new Case("access token as a path parameter", get(WHOAMI + ";access_token=alice_token", ""),
                    Answer.matrix(401, "M_MISSING_TOKEN"), Answer.matrix(401, "M_MISSING_TOKEN")),
            new Case("upper-case version", get("/_matrix/client/V3/account/whoami", AUTH),
                    Answer.matrix(404, "M_UNRECOGNIZED"), Answer.matrix(404, "M_UNRECOGNIZED")),
            // Encoded separators: Tomcat's encodedSolidusHandling and encodedReverseSolidusHandling are "reject".
            new Case("encoded slash %2F", get("/_matrix/client/v3/account%2Fwhoami", AUTH), Answer.page(400), Answer.page(400)),
            new Case("encoded backslash %5C", get("/_matrix/client/v3/account%5Cwhoami", AUTH), Answer.page(400), Answer.page(400)),
            new Case("encoded NUL", get(WHOAMI + "%00", AUTH), Answer.page(400), Answer.page(400)),
            // Limits: Tomcat's maxHttpRequestHeaderSize (8 KiB) holds the request line and the headers.
            new Case("header of 9000 bytes", get("/_matrix/client/versions", "X-Big: " + "a".repeat(9000) + "\r\n"),
                    Answer.page(431), Answer.page(400)),
            new Case("request target of 9000 bytes", get("/_matrix/client/versions?" + "a".repeat(9000), ""),
                    Answer.page(414), Answer.page(400)),
            new Case("101 header fields", get(WHOAMI, AUTH + "X-A: 1\r\n".repeat(100)), Answer.served(), Answer.page(400)),
            new Case("raw braces in the query", get(WHOAMI + "?filter={}", AUTH), Answer.served(), Answer.page(400)),
            // Message framing.
            new Case("obsolete line folding", get(WHOAMI, AUTH + " folded\r\n"),
                    Answer.page(400), Answer.matrix(401, "M_MISSING_TOKEN")), // Tomcat folds it into the token
            new Case("Content-Length with chunked", "POST " + WHOAMI + " HTTP/1.1\r\n" + CLOSE
                    + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                    Answer.page(400), Answer.matrix(405, "M_UNRECOGNIZED")),
            new Case("unknown transfer coding", "POST " + WHOAMI + " HTTP/1.1\r\n" + CLOSE + "Transfer-Encoding: gzip\r\n\r\n",
                    Answer.page(400), Answer.page(501)),
            new Case("control byte in a header", get("/_matrix/client/versions", "X-Note: a\u0001b\r\n"),
                    Answer.page(400), Answer.page(400)),
            new Case("HTTP/9.9", "GET /_matrix/client/versions HTTP/9.9\r\nHost: localhost\r\n\r\n", Answer.page(505), Answer.page(505)),
            // Tomcat refuses TRACE (allowTrace="false") through the application's error page.
            new Case("TRACE", "TRACE /_matrix/client/versions HTTP/1.1\r\n" + CLOSE + "\r\n",
                    Answer.empty(403), Answer.matrix(405, "M_UNRECOGNIZED")));
}
