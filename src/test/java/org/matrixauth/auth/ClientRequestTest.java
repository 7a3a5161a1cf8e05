package org.matrixauth.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientRequestTest {
    @Test
    void userAgentIsRecordableOnPostgresql() {
        // A NUL would make PostgreSQL refuse the whole client-IP batch it lands in (TRK-4).
        assertEquals("curl/8", new ClientRequest(List.of(), Map.of(), "127.0.0.1", "cu\0rl/8\0").userAgent());
        assertEquals("", new ClientRequest(List.of(), Map.of(), "127.0.0.1", null).userAgent());
    }
}
