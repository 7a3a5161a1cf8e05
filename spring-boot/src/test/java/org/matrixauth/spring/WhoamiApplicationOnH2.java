package org.matrixauth.spring;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.matrixauth.spring.example.WhoamiApplication;
import org.matrixauth.testing.DatabaseExtension;
import org.matrixauth.testing.DatabaseKind;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The example application on a port of its own, the filter's own pool on an H2 database of the test class's; a
 * subclass may add configuration with a {@code @SpringBootTest} of its own (the Spring Security tests' rules).
 */
@SpringBootTest(classes = WhoamiApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
abstract class WhoamiApplicationOnH2 {
    @RegisterExtension
    static final DatabaseExtension DB = DatabaseExtension.of(() -> DatabaseKind.H2);

    @TempDir
    static Path registrations;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry properties) {
        TestUsers.filtersOwnPool(properties, DB, () -> registrations);
    }

    @AfterAll
    static void closeConnectionsFirst(@Autowired ApplicationContext context) throws IOException {
        WhoamiMatrixTestCase.closeConnections(context);
    }
}
