package org.matrixauth.spring;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.matrixauth.testing.DatabaseExtension;
import org.matrixauth.testing.DatabaseKind;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The matrix on embedded H2, the filter opening its own pool from the {@code database} key. */
class WhoamiMatrixH2Test extends WhoamiMatrixTestCase {
    @RegisterExtension
    static final DatabaseExtension DB = DatabaseExtension.of(() -> DatabaseKind.H2);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestUsers.filtersOwnPool(registry, DB, () -> registrations);
    }

    @Override
    DatabaseExtension db() {
        return DB;
    }
}
