package org.matrixauth.servlet;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.runtime.ObjectMethods;
import org.matrixauth.error.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On JDK 17, a record's {@code equals}, {@code hashCode} or {@code toString} keeps its class loader
 * alive after the web application is undeployed: {@link ObjectMethods}, which links them, adapts
 * its static method handles to the record's type and to its components' types, and
 * {@code MethodHandle.asType} keeps the last adaptation of each in a strong cache (JDK-8078641,
 * fixed in JDK 18). One record of the war compared once (the example's route check compares
 * {@link RouteRule}s) and the JDK holds the war's class loader, so all its classes. Linking the
 * three methods once more for a JDK type moves those caches onto that type.
 */
final class RecordMethodCaches {
    private static final Logger LOG = LoggerFactory.getLogger(RecordMethodCaches.class);

    private RecordMethodCaches() {}

    static void forgetApplicationTypes() {
        if (Runtime.version().feature() >= 18) {
            return; // a cached adaptation to another class loader's type is held softly there
        }
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        MethodHandle component = MethodHandles.identity(String.class);
        try {
            ObjectMethods.bootstrap(lookup, "equals", MethodType.methodType(boolean.class, String.class, Object.class),
                    String.class, "value", component);
            ObjectMethods.bootstrap(lookup, "hashCode", MethodType.methodType(int.class, String.class), String.class, "value", component);
            ObjectMethods.bootstrap(lookup, "toString", MethodType.methodType(String.class, String.class), String.class, "value", component);
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
            LOG.warn("Could not clear the JDK's record method caches; an undeployed war may stay in memory: {}", Failures.describe(e));
        }
    }
}
