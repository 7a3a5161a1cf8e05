package org.matrixauth.example;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The records one java.util.logging logger receives while this is open, each as "logger message".
 * The war's SLF4J provider is slf4j-jdk14, so its lines arrive here in any container of this JVM.
 * The logger takes INFO, the level the war logs these lines at, while open: the root's level is
 * whatever an earlier test left (the OAuthServer's Spring Boot sets WARN for the whole JVM).
 */
final class JulRecords implements AutoCloseable {
    private final Logger logger;
    private final Level levelBefore;
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            messages.add(record.getLoggerName() + " " + record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    JulRecords(String loggerName) {
        logger = Logger.getLogger(loggerName);
        levelBefore = logger.getLevel();
        logger.setLevel(Level.INFO);
        logger.addHandler(handler);
    }

    /**
     * The messages so far, once one of them matches or 5 s have passed: a line written as a request
     * ends (the access line) may come after its response has reached the client.
     */
    List<String> messagesOnceOne(Predicate<String> matches) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5_000;
        while (messages.stream().noneMatch(matches) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        return List.copyOf(messages);
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setLevel(levelBefore);
    }
}
