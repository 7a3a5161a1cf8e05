package org.matrixauth.appservice;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** AS-2: a registration's {@code ip_range_whitelist}, IPv4 and IPv6 CIDR ranges. */
public final class IpRangeWhitelist {
    private static final Pattern ABBREVIATED_IPV4 = Pattern.compile("(\\d{1,3}(?:\\.\\d{1,3}){0,2})/(\\d{1,2})");

    private final List<IPAddress> ranges;

    private IpRangeWhitelist(List<IPAddress> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    /**
     * @param cidrs ranges as netaddr (and so Synapse) accepts them, e.g. {@code 10.0.0.0/8},
     *     {@code 192.168/16}, {@code fd00::/8}, or a single address
     * @throws IllegalArgumentException naming the range that does not parse
     */
    public static IpRangeWhitelist parse(List<String> cidrs) {
        List<IPAddress> ranges = new ArrayList<>();
        for (String cidr : cidrs) {
            try {
                ranges.add(new IPAddressString(expandAbbreviatedIpv4(cidr.trim())).toAddress().toPrefixBlock());
            } catch (AddressStringException | RuntimeException e) {
                throw new IllegalArgumentException("'" + cidr + "' is not an IP range");
            }
        }
        return new IpRangeWhitelist(ranges);
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

    /** False for anything that is not an IP address, so a garbled peer address is never let in. */
    public boolean contains(String clientIp) {
        // Some containers and proxies write IPv6 peers in URL form, [2001:db8::1].
        String bare = clientIp.startsWith("[") && clientIp.endsWith("]") ? clientIp.substring(1, clientIp.length() - 1) : clientIp;
        IPAddress address = new IPAddressString(bare).getAddress();
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
