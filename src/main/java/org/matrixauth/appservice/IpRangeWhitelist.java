package org.matrixauth.appservice;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.List;

/** AS-2: a registration's {@code ip_range_whitelist}, IPv4 and IPv6 CIDR ranges. */
public final class IpRangeWhitelist {
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
                ranges.add(new IPAddressString(cidr.trim()).toAddress().toPrefixBlock());
            } catch (AddressStringException | RuntimeException e) {
                throw new IllegalArgumentException("'" + cidr + "' is not an IP range");
            }
        }
        return new IpRangeWhitelist(ranges);
    }

    /** False for anything that is not an IP address, so a garbled peer address is never let in. */
    public boolean contains(String clientIp) {
        IPAddress address = new IPAddressString(clientIp).getAddress();
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
