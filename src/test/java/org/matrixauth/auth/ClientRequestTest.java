package org.matrixauth.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientRequestTest {
    @Test
    void trk4ClientIpAndUserAgentAreRecordableOnPostgresql() {
        // PostgreSQL refuses a NUL in user_ips (TRK-4): the row would be lost.
        ClientRequest request = new ClientRequest(List.of(), Map.of(), "127.0.0.1\0", "cu\0rl/8\0");
        assertEquals("127.0.0.1", request.clientIp());
        assertEquals("curl/8", request.userAgent());
        assertEquals("", new ClientRequest(List.of(), Map.of(), "127.0.0.1", null).userAgent());
    }
}
