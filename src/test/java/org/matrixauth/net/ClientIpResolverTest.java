package org.matrixauth.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** TRK-2: the client IP is the peer's unless a trusted proxy forwards another. */
class ClientIpResolverTest {
    private final ClientIpResolver resolver = new ClientIpResolver(IpRanges.parse(List.of("10.0.0.0/8", "::1/128")));

    @Test
    void trk2PeerAddressWithoutAHeader() {
        assertEquals("203.0.113.7", resolver.clientIp("203.0.113.7", List.of()));
    }

    @Test
    void trk2UntrustedPeerCannotForward() {
        assertEquals("203.0.113.7", resolver.clientIp("203.0.113.7", List.of("198.51.100.1")));
    }

    @Test
    void trk2TrustedProxyForwardsTheFirstAddress() {
        assertEquals("198.51.100.1", resolver.clientIp("10.1.2.3", List.of("198.51.100.1, 10.9.9.9", "192.0.2.1")));
        assertEquals("2001:db8::5", resolver.clientIp("0:0:0:0:0:0:0:1", List.of("2001:db8::5")));
    }

    @Test
    void trk2GarbageFromATrustedProxyIsIgnored() {
        assertEquals("10.1.2.3", resolver.clientIp("10.1.2.3", List.of("unknown")));
        assertEquals("10.1.2.3", resolver.clientIp("10.1.2.3", List.of("")));
        assertEquals("10.1.2.3", resolver.clientIp("10.1.2.3", List.of("10.0.0.0/8")));
    }

    @Test
    void trk2NoTrustedProxiesMeansNoForwarding() {
        assertEquals("10.1.2.3", new ClientIpResolver(IpRanges.parse(List.of())).clientIp("10.1.2.3", List.of("198.51.100.1")));
    }
}
