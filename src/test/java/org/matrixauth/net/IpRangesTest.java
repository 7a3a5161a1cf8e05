package org.matrixauth.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** AS-2: which client IPs an appservice's {@code ip_range_whitelist} lets use its token. */
class IpRangesTest {
    private final IpRanges whitelist =
            IpRanges.parse(List.of("192.168/16", "10.1.2.3", "2001:db8::/32", "::1/128"));

    @ParameterizedTest(name = "AS-2 {0} in whitelist: {1}")
    @CsvSource({
        "192.168.0.1, true",
        "192.168.255.255, true",
        "192.169.0.1, false",
        "10.1.2.3, true",
        "10.1.2.4, false",
        "::ffff:192.168.3.4, true",
        "2001:db8:1::5, true",
        "[2001:db8::1], true",
        "2001:db9::1, false",
        "::1, true",
        "0:0:0:0:0:0:0:1, true",
        "127.0.0.1, false",
        "not-an-ip, false",
        "'', false"
    })
    void as2Membership(String clientIp, boolean expected) {
        assertEquals(expected, whitelist.contains(clientIp));
    }

    @ParameterizedTest(name = "AS-8 bad range {0}")
    @CsvSource({"300.1.1.1/8", "10.0.0.0/40", "banana", "2001:db8::/200"})
    void as8BadRangesAreRefused(String range) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IpRanges.parse(List.of(range)));
        assertEquals("'" + range + "' is not an IP range", e.getMessage());
    }
}
