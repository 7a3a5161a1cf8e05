package org.matrixauth.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.matrixauth.store.ClientIpRow;
import org.matrixauth.testing.DatabaseExtension;
import org.matrixauth.testing.DatabaseKind;
import org.matrixauth.testing.MutableClock;

/** TRK-7: old user_ips rows are pruned in batches. */
@ParameterizedClass(name = "{0}")
@EnumSource(value = DatabaseKind.class, names = {"H2", "POSTGRESQL"})
class ClientIpPrunerTest {
    @Parameter
    DatabaseKind kind;

    @RegisterExtension
    final DatabaseExtension db = DatabaseExtension.of(() -> kind);

    @Test
    void trk7RowsOlderThanUserIpsMaxAgeArePrunedInBatches() {
        long now = 1_800_000_000_000L;
        long maxAge = 28 * 86_400_000L;
        List<ClientIpRow> rows = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            rows.add(new ClientIpRow("@u:test", "tok", "10.0." + (i / 250) + "." + (i % 250), "ua", null, now - maxAge - 1 - i));
        }
        rows.add(new ClientIpRow("@u:test", "tok", "192.0.2.1", "ua", null, now - maxAge + 1));
        db.database().clientIps().write(rows);

        int removed = new ClientIpPruner(db.database().clientIps(), maxAge, new MutableClock(now)).prune();
        assertEquals(2_500, removed, "more than one batch of " + ClientIpPruner.BATCH);
        assertEquals(List.of("192.0.2.1"), db.jdbi().withHandle(h -> h.createQuery("SELECT ip FROM user_ips")
                .mapTo(String.class).list()));
    }
}
