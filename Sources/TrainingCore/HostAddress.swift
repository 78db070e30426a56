import Glibc

/// What the host of an endpoint is: an IPv4 or IPv6 address literal, or a name. A TLS client must
/// treat a literal differently: it cannot go in SNI (which carries names only), and the server's
/// certificate must name it as an IP address, not a DNS name.
public enum HostAddress: Sendable, Equatable {
    case ipv4, ipv6, name

    /// The kind of `host` (an IPv6 literal without brackets, as endpoints are parsed).
    public init(_ host: String) {
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            self = .ipv4
        } else if inet_pton(AF_INET6, host, &v6) == 1 {
            self = .ipv6
        } else {
            self = .name
        }
    }
}
