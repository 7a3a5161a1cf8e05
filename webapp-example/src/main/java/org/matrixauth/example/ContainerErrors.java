package org.matrixauth.example;

import org.matrixauth.error.Errcode;
import org.matrixauth.error.MatrixException;

/**
 * The Matrix error for a status the container produces on its own: a path nothing serves, a
 * request it cannot parse, a header or URI over its limits, an HTTP version it does not speak, an
 * error no servlet caught. Clients then always get Matrix JSON, as from Synapse, and never the
 * container's HTML page, and its text says what was wrong. The container's own message is not
 * repeated: it may quote the request.
 */
final class ContainerErrors {
    private ContainerErrors() {}

    static MatrixException forStatus(int status) {
        return switch (status) {
            // Synapse's words for what it does not serve (M_UNRECOGNIZED is for these two statuses).
            case 404, 405 -> MatrixException.unrecognized(status);
            case 413 -> new MatrixException(status, Errcode.M_TOO_LARGE, "Request body too large");
            case 414 -> new MatrixException(status, Errcode.M_TOO_LARGE, "Request URI too long");
            case 431 -> new MatrixException(status, Errcode.M_TOO_LARGE, "Request header fields too large");
            case 400 -> unknown(status, "Bad request: the HTTP request is malformed");
            case 408 -> unknown(status, "Request timed out before it was complete");
            case 411 -> unknown(status, "Request body without a length");
            case 417 -> unknown(status, "Expectation not supported");
            case 500 -> MatrixException.internal();
            case 501 -> unknown(status, "Not implemented: the request asks for something this server does not support");
            case 503 -> unknown(status, "Service unavailable");
            case 505 -> unknown(status, "HTTP version not supported: use HTTP/1.1 or HTTP/1.0");
            default -> unknown(status, (status >= 500 ? "Server error" : "Request refused") + " (HTTP " + status + ")");
        };
    }

    private static MatrixException unknown(int status, String error) {
        return new MatrixException(status, Errcode.M_UNKNOWN, error);
    }
}
