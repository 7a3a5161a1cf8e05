package org.matrixauth.oauth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.matrixauth.testing.CapturedLog;
import org.matrixauth.testing.MutableClock;

class IntrospectionFailureLogTest {
    private static List<String> lines(CapturedLog log) {
        return log.text().lines().filter(line -> line.contains("IntrospectionFailureLog")).toList();
    }

    @Test
    @DisplayName("OAU-2 failures logged: one line per kind at the first, a summary at most once a minute while they last, one when answers return")
    void oneLinePerKindThenAMinutesSummary() {
        MutableClock clock = new MutableClock(1_000_000);
        IntrospectionFailureLog failures = new IntrospectionFailureLog(clock);
        IntrospectionFailure timeout = new IntrospectionFailure(IntrospectionFailure.Kind.TIMEOUT, "HttpTimeoutException");
        IntrospectionFailure refused = new IntrospectionFailure(IntrospectionFailure.Kind.TRANSPORT, "java.net.ConnectException");
        try (CapturedLog log = new CapturedLog()) {
            for (int i = 0; i < 1_000; i++) {
                failures.failed(timeout);
                clock.advance(10); // 10 s in all: within the minute
            }
            failures.failed(refused);
            assertEquals(2, lines(log).size(), "the first of each kind: " + lines(log));
            assertTrue(lines(log).get(0).contains("(timeout: HttpTimeoutException)"), lines(log).get(0));
            assertTrue(lines(log).get(1).contains("(transport: java.net.ConnectException)"), lines(log).get(1));

            clock.advance(IntrospectionFailureLog.SUMMARY_INTERVAL_MS);
            failures.failed(timeout);
            failures.failed(timeout);
            assertEquals(3, lines(log).size(), "one summary a minute: " + lines(log));
            assertTrue(lines(log).get(2).contains("1002 in the last 70 s by kind {transport=1, timeout=1001}"), lines(log).get(2));

            failures.answered();
            failures.answered();
            assertEquals(4, lines(log).size(), "one line when answers return: " + lines(log));
            assertTrue(lines(log).get(3).contains("answering again after 1003 failure(s)"), lines(log).get(3));

            failures.failed(refused);
            assertEquals(5, lines(log).size(), "a new spell logs its first failure again");
            assertFalse(log.text().contains("token="), "never a request body");
        }
    }
}
