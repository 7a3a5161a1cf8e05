package org.matrixauth.spring;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.matrixauth.testing.DatabaseExtension;
import org.matrixauth.testing.DatabaseKind;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The matrix on PostgreSQL through the application's own pool ({@code spring.datasource.url}), shared with the
 * filter; the change listener gets a connection of its own ({@code auth_cache.listen_url}).
 */
class WhoamiMatrixPostgresTest extends WhoamiMatrixTestCase {
    @RegisterExtension
    static final DatabaseExtension DB = DatabaseExtension.of(() -> DatabaseKind.POSTGRESQL);

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        appServices(registry);
        registry.add("spring.datasource.url", DB::jdbcUrl);
        registry.add("matrix.auth.config.auth_cache.listen_url", DB::jdbcUrl);
    }

    @Override
    DatabaseExtension db() {
        return DB;
    }
}
