/// The address ranges a dataset download must not reach: every entry of IANA's special-purpose
/// address registries, plus multicast, the reserved and deprecated spaces, and (IPv6) everything
/// outside global unicast.
///
/// Sources, as of 2025:
/// - IANA IPv4 Special-Purpose Address Registry,
///   https://www.iana.org/assignments/iana-ipv4-special-registry/ (RFC 6890 and the RFCs named below)
/// - IANA IPv6 Special-Purpose Address Registry,
///   https://www.iana.org/assignments/iana-ipv6-special-registry/
/// - IANA IPv6 Address Space (global unicast is 2000::/3), RFC 4291 §2.4.
///
/// Ranges that embed, translate or tunnel to other addresses (NAT64, 6to4, Teredo, IPv4-compatible,
/// IPv4-mapped, IPv4-translated, the 6to4 relay, AMT, DS-Lite) are refused whole: the address a
/// client really reaches through them is not the one checked. The registry's few "globally
/// reachable" entries (AS112 sinks, anycast for PCP, TURN and DNS-SD, AMT relays, ORCHIDv2) are
/// refused as well: they are protocol infrastructure, never a dataset's host.
enum SpecialPurposeAddresses {
    /// First match wins, so narrower entries come before the ranges that contain them.
    static let ranges: [(IPNetwork, String)] =
        ([
            // IPv4
            ("0.0.0.0/8", "this network"),  // RFC 791
            ("10.0.0.0/8", "private"),  // RFC 1918
            ("100.64.0.0/10", "shared address space"),  // RFC 6598 (carrier-grade NAT)
            ("127.0.0.0/8", "loopback"),  // RFC 1122
            ("169.254.0.0/16", "link-local"),  // RFC 3927
            ("172.16.0.0/12", "private"),  // RFC 1918
            ("192.0.0.0/29", "IPv4 service continuity prefix (DS-Lite)"),  // RFC 7335
            ("192.0.0.170/31", "NAT64/DNS64 discovery"),  // RFC 7050
            ("192.0.0.0/24", "IETF protocol assignments"),  // RFC 6890 (also 192.0.0.8-10, RFC 7600, 7723, 8155)
            ("192.0.2.0/24", "documentation"),  // RFC 5737
            ("192.31.196.0/24", "AS112 DNS sink"),  // RFC 7535
            ("192.52.193.0/24", "automatic multicast tunneling"),  // RFC 7450
            ("192.88.99.0/24", "6to4 relay anycast"),  // RFC 7526 (deprecated)
            ("192.168.0.0/16", "private"),  // RFC 1918
            ("192.175.48.0/24", "AS112 direct delegation"),  // RFC 7534
            ("198.18.0.0/15", "benchmarking"),  // RFC 2544
            ("198.51.100.0/24", "documentation"),  // RFC 5737
            ("203.0.113.0/24", "documentation"),  // RFC 5737
            ("224.0.0.0/4", "multicast"),  // RFC 5771
            ("255.255.255.255/32", "limited broadcast"),  // RFC 919
            ("240.0.0.0/4", "reserved"),  // RFC 1112

            // IPv6
            ("::/128", "unspecified"),  // RFC 4291
            ("::1/128", "loopback"),  // RFC 4291
            ("::/96", "IPv4-compatible"),  // RFC 4291 §2.5.5.1 (deprecated)
            ("::ffff:0:0/96", "IPv4-mapped"),  // RFC 4291 §2.5.5.2
            ("::ffff:0:0:0/96", "IPv4-translated"),  // RFC 2765 (SIIT)
            ("64:ff9b::/96", "IPv4/IPv6 translation (NAT64)"),  // RFC 6052
            ("64:ff9b:1::/48", "local-use IPv4/IPv6 translation"),  // RFC 8215
            ("100::/64", "discard-only"),  // RFC 6666
            ("100:0:0:1::/64", "dummy IPv6 prefix"),  // RFC 9780
            ("2001::/32", "Teredo tunneling"),  // RFC 4380
            ("2001:2::/48", "benchmarking"),  // RFC 5180
            ("2001:3::/32", "automatic multicast tunneling"),  // RFC 7450
            ("2001:4:112::/48", "AS112 DNS sink"),  // RFC 7535
            ("2001:10::/28", "ORCHID"),  // RFC 4843 (deprecated)
            ("2001:20::/28", "ORCHIDv2"),  // RFC 7343
            ("2001:30::/28", "drone remote ID"),  // RFC 9374
            ("2001::/23", "IETF protocol assignments"),  // RFC 2928 (also 2001:1::1-3, RFC 7723, 8155, 9665)
            ("2001:db8::/32", "documentation"),  // RFC 3849
            ("2002::/16", "6to4"),  // RFC 3056
            ("2620:4f:8000::/48", "AS112 direct delegation"),  // RFC 7534
            ("3fff::/20", "documentation"),  // RFC 9637
            ("5f00::/16", "segment routing (SRv6) SIDs"),  // RFC 9602
            ("fc00::/7", "private"),  // RFC 4193 (unique local)
            ("fe80::/10", "link-local"),  // RFC 4291
            ("fec0::/10", "site-local"),  // RFC 3879 (deprecated)
            ("ff00::/8", "multicast"),  // RFC 4291
        ] as [(String, String)]).map { (IPNetwork($0.0)!, $0.1) }

    /// IPv6 global unicast (RFC 4291 §2.4); every other IPv6 address is reserved or special.
    static let globalUnicast = IPNetwork("2000::/3")!

    /// Why `address` is not a public unicast address, or nil when it is one.
    static func kind(of address: IPAddress) -> String? {
        if let (_, found) = ranges.first(where: { $0.0.contains(address) }) {
            // Name what an IPv4-mapped address really points at when that is the worse news.
            if found == "IPv4-mapped", let inner = kind(of: IPAddress(bytes: Array(address.bytes[12...]))) {
                return "IPv4-mapped \(inner)"
            }
            return found
        }
        if address.bytes.count == 16, !globalUnicast.contains(address) {
            return "reserved (outside IPv6 global unicast)"
        }
        return nil
    }
}
