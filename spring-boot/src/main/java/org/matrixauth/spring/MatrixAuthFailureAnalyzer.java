package org.matrixauth.spring;

import org.matrixauth.config.ConfigException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * A configuration the filter cannot use is reported as Spring Boot reports a bad property: the library's message,
 * which names the key (and the key it most likely misspells), instead of a stack of bean creation failures.
 */
final class MatrixAuthFailureAnalyzer extends AbstractFailureAnalyzer<ConfigException> {
    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ConfigException cause) {
        return new FailureAnalysis("matrix-auth-filter cannot start: " + cause.getMessage(),
                "Correct that key. Synapse's keys go under 'matrix.auth.config', nested as in homeserver.yaml, or in the"
                        + " file named by 'matrix.auth.config-file'; the route rules are the lines of 'matrix.auth.routes'"
                        + " (line 1 is its first item).",
                cause);
    }
}
