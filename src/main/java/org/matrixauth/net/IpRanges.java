package org.matrixauth.net;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.matrixauth.api.PublicApi;

/** A set of IPv4 and IPv6 ranges: an appservice's {@code ip_range_whitelist} (AS-2), trusted proxies (TRK-2). */
@PublicApi
public final class IpRanges {
    private static final Pattern ABBREVIATED_IPV4 = Pattern.compile("(\\d{1,3}(?:\\.\\d{1,3}){0,2})/(\\d{1,2})");

    private final List<IPAddress> ranges;

    private IpRanges(List<IPAddress> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    /**
     * @param cidrs ranges as netaddr (and so Synapse) accepts them, e.g. {@code 10.0.0.0/8},
     *     {@code 192.168/16}, {@code fd00::/8}, or a single address
     * @throws IllegalArgumentException naming the range that does not parse
     */
    public static IpRanges parse(List<String> cidrs) {
        List<IPAddress> ranges = new ArrayList<>();
        for (String cidr : cidrs) {
            try {
                ranges.add(new IPAddressString(expandAbbreviatedIpv4(cidr.trim())).toAddress().toPrefixBlock());
            } catch (AddressStringException | RuntimeException e) {
                throw new IllegalArgumentException("'" + cidr + "' is not an IP range");
            }
        }
        return new IpRanges(ranges);
    }

    /**
     * netaddr reads {@code 192.168/16} as {@code 192.168.0.0/16} (missing octets are zeros), where
     * inet_aton rules would read {@code 192.0.0.168}; registrations written for Synapse rely on it.
     */
    private static String expandAbbreviatedIpv4(String cidr) {
        Matcher abbreviated = ABBREVIATED_IPV4.matcher(cidr);
        if (!abbreviated.matches()) {
            return cidr;
        }
        String octets = abbreviated.group(1);
        int missing = 3 - (int) octets.chars().filter(c -> c == '.').count();
        return octets + ".0".repeat(missing) + "/" + abbreviated.group(2);
    }

    /** Whether the text is one IPv4 or IPv6 address (in URL brackets or not). */
    public static boolean isAddress(String text) {
        return parseAddress(text) != null;
    }

    private static IPAddress parseAddress(String text) {
        if (text.isBlank()) {
            return null; // the library reads "" as the loopback address
        }
        // Some containers and proxies write IPv6 peers in URL form, [2001:db8::1].
        String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        IPAddress address = new IPAddressString(bare).getAddress();
        return address == null || address.isPrefixed() ? null : address;
    }

    /** False for anything that is not an IP address, so a garbled peer address is never let in. */
    public boolean contains(String clientIp) {
        if (ranges.isEmpty()) {
            return false; // no proxy is trusted, the usual case: asked on every request, answered without parsing
        }
        IPAddress address = parseAddress(clientIp);
        if (address == null) {
            return false;
        }
        // A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d; compare them as IPv4.
        if (address.isIPv6() && address.toIPv6().isIPv4Mapped()) {
            address = address.toIPv6().getEmbeddedIPv4Address();
        }
        for (IPAddress range : ranges) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
