package org.matrixauth.spring;

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

/** The module is written against the library's public API alone ({@link PublicApi} types and those nested in them). */
class PublicApiOnlyTest {
    @Test
    void theModuleUsesOnlyThePublicApi() {
        JavaClasses module = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.matrixauth.spring");
        assertFalse(module.isEmpty());
        Set<String> internal = new TreeSet<>();
        for (JavaClass type : module) {
            for (Dependency dependency : type.getDirectDependenciesFromSelf()) {
                JavaClass target = dependency.getTargetClass();
                String targetPackage = target.getPackageName();
                if (targetPackage.startsWith("org.matrixauth") && !targetPackage.startsWith("org.matrixauth.spring")
                        && !isPublicApi(target.isArray() ? target.getBaseComponentType() : target)) {
                    internal.add(type.getSimpleName() + " -> " + target.getName());
                }
            }
        }
        assertEquals(Set.of(), internal);
    }

    private static boolean isPublicApi(JavaClass type) {
        return type.isAnnotatedWith(PublicApi.class)
                || type.getEnclosingClass().map(PublicApiOnlyTest::isPublicApi).orElse(false);
    }
}
