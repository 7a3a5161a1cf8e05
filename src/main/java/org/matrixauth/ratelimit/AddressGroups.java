package org.matrixauth.ratelimit;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;

/**
 * Which client addresses share a bucket (FLOOD-2): an IPv4 address is its own; IPv6 addresses are
 * grouped by their /64, the smallest block a host is handed, so that one host cannot rotate
 * through its prefix. Anything that is not an address (a container's odd peer) is its own group.
 */
final class AddressGroups {
    private static final int IPV6_HOST_PREFIX = 64;

    private AddressGroups() {}

    static String of(String clientIp) {
        if (clientIp == null || clientIp.isBlank()) {
            return "";
        }
        String bare = clientIp.startsWith("[") && clientIp.endsWith("]") ? clientIp.substring(1, clientIp.length() - 1) : clientIp;
        IPAddress address = new IPAddressString(bare).getAddress();
        if (address == null) {
            return clientIp;
        }
        if (address.isIPv6() && address.toIPv6().isIPv4Mapped()) {
            return address.toIPv6().getEmbeddedIPv4Address().toNormalizedString();
        }
        return address.isIPv6()
                ? address.toPrefixBlock(IPV6_HOST_PREFIX).toCanonicalString()
                : address.toNormalizedString();
    }
}
