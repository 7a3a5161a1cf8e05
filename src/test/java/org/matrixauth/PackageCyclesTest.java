package org.matrixauth;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

/**
 * No package of the library depends, through any chain, on one that depends on it: each package
 * can be read, tested and changed from the ones below it alone. A slice is one package exactly
 * ({@code store} and {@code store.jdbi} are two), the root package ({@code MatrixAuth}, its
 * assembly) among them.
 */
class PackageCyclesTest {
    private static final JavaClasses LIBRARY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.matrixauth");

    private static final SliceAssignment BY_PACKAGE = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String name = javaClass.getPackageName();
            return name.startsWith("org.matrixauth") ? SliceIdentifier.of(name) : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
            return "the library's packages";
        }
    };

    @Test
    void noPackageDependsOnOneThatDependsOnIt() {
        slices().assignedFrom(BY_PACKAGE).should().beFreeOfCycles().check(LIBRARY);
    }
}
