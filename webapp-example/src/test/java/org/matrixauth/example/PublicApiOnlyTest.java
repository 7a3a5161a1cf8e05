package org.matrixauth.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.matrixauth.api.PublicApi;

/**
 * The example homeserver is written as any homeserver would be: against the library's public API
 * alone ({@link PublicApi} types and the types nested in them), never its internals (stores, JDBI
 * wiring, caches, tracking).
 */
class PublicApiOnlyTest {
    @Test
    void theExampleUsesOnlyThePublicApi() {
        JavaClasses example = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.matrixauth.example");
        assertFalse(example.isEmpty());
        Set<String> internal = new TreeSet<>();
        for (JavaClass type : example) {
            for (Dependency dependency : type.getDirectDependenciesFromSelf()) {
                JavaClass target = dependency.getTargetClass();
                if (target.getPackageName().startsWith("org.matrixauth") && !target.getPackageName().startsWith("org.matrixauth.example")
                        && !isPublicApi(target)) {
                    internal.add(type.getSimpleName() + " -> " + target.getName());
                }
            }
        }
        assertEquals(Set.of(), internal);
    }

    private static boolean isPublicApi(JavaClass type) {
        JavaClass base = type.isArray() ? type.getBaseComponentType() : type;
        for (JavaClass current = base; current != null; current = current.getEnclosingClass().orElse(null)) {
            if (current.isAnnotatedWith(PublicApi.class)) {
                return true;
            }
        }
        return false;
    }
}
