package org.matrixauth.cache;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class CacheBuildersTest {
    /** A cache built elsewhere would hand its upkeep to the common pool again, on every request path. */
    @Test
    void everyCacheStartsFromCacheBuilders() {
        noClasses().that().doNotHaveFullyQualifiedName(CacheBuilders.class.getName())
                .should().callMethod(Caffeine.class, "newBuilder")
                .check(new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("org.matrixauth"));
    }
}
