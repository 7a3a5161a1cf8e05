package org.matrixauth.observe;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.matrixauth.MatrixAuth;
import org.matrixauth.testing.DatabaseExtension;
import org.matrixauth.testing.DatabaseKind;

/**
 * An OBS test on H2 and on PostgreSQL: before each test the {@link Requesters} are seeded and a
 * {@link MatrixAuth} is started on them, for the subclass to put behind a container (its own
 * {@code @BeforeEach} runs after this one, its {@code @AfterEach} before the close here).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(value = DatabaseKind.class, names = {"H2", "POSTGRESQL"})
abstract class RequestersTestCase {
    @Parameter
    DatabaseKind kind;

    @RegisterExtension
    final DatabaseExtension db = DatabaseExtension.of(() -> kind);

    @TempDir
    Path dir;

    MatrixAuth auth;

    @BeforeEach
    void startAuth() throws IOException {
        auth = Requesters.start(db, dir);
    }

    @AfterEach
    void closeAuth() {
        auth.close();
    }
}
