package org.matrixauth.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * OBS-2: the API is optional. The library's classes loaded where io.opentelemetry cannot be found
 * (a class loader that hides it, as an application without the dependency has) start the filter
 * and choose the spans that do nothing, with no NoClassDefFoundError; with the API they choose
 * OpenTelemetry's.
 */
class RequestSpansWithoutOpenTelemetryTest {
    @Test
    @DisplayName("OBS-2: without the OpenTelemetry API on the class path, the filter loads and annotates nothing")
    void obs2WithoutTheApi() throws Exception {
        URL library = RequestSpans.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader withoutOpenTelemetry = new URLClassLoader(new URL[] {library}, new HidingOpenTelemetry())) {
            assertThrows(ClassNotFoundException.class,
                    () -> Class.forName("io.opentelemetry.api.trace.Span", false, withoutOpenTelemetry));
            Class.forName("org.matrixauth.servlet.MatrixAuthFilter", true, withoutOpenTelemetry)
                    .getConstructor().newInstance(); // its spans are chosen as it is made
            Object chosen = Class.forName(RequestSpans.class.getName(), true, withoutOpenTelemetry)
                    .getMethod("forClasspath").invoke(null);
            assertEquals(RequestSpans.NoSpans.class.getName(), chosen.getClass().getName());
            assertEquals(withoutOpenTelemetry, chosen.getClass().getClassLoader(), "the library's own copy, not the test's");
        }
        assertEquals(OpenTelemetrySpans.class, RequestSpans.forClasspath().getClass(), "with the API");
    }

    /** The test's class path less OpenTelemetry, and less the library (which the child loads itself). */
    private static final class HidingOpenTelemetry extends ClassLoader {
        HidingOpenTelemetry() {
            super(RequestSpansWithoutOpenTelemetryTest.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("io.opentelemetry.") || name.startsWith("org.matrixauth.")) {
                throw new ClassNotFoundException(name);
            }
            return super.loadClass(name, resolve);
        }
    }
}
