import Foundation
import TrainingCore

#if canImport(Glibc)
import Glibc
#endif

/// Decides whether a dataset link's host may be contacted: every address the name resolves to must
/// be public, unless the operator allowed the host by name or its network.
///
/// The check runs after DNS resolution and again on every redirect. The HTTP client resolves the
/// name once more when it connects, so a DNS server that changes its answer within that window
/// could still steer a download; operators who need a hard guarantee put the service behind an
/// egress proxy or firewall as well.
struct NetworkAddressGuard: Sendable {
    private let allowedNames: Set<String>
    private let allowedNetworks: [IPNetwork]

    init(allowedHosts: [String]) throws(DatasetLinkConfigurationError) {
        var names: Set<String> = []
        var networks: [IPNetwork] = []
        for entry in allowedHosts.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) where !entry.isEmpty {
            if let network = IPNetwork(entry) {
                networks.append(network)
            } else if entry.contains("/") {
                throw DatasetLinkConfigurationError(entry: entry)
            } else {
                names.insert(entry)
            }
        }
        self.allowedNames = names
        self.allowedNetworks = networks
    }

    /// Throws ``DatasetRejected`` naming the address if `host` may not be contacted.
    func check(host: String) throws {
        let name = Self.bare(host)
        if allowedNames.contains(name) { return }
        let addresses = try Self.resolve(name)
        guard !addresses.isEmpty else {
            throw DatasetRejected("The dataset link's host '\(host)' could not be resolved. Check the link.")
        }
        try check(addresses, host: host)
    }

    /// ``check(host:)`` without any network traffic, DNS included: a host written as an address
    /// (`10.0.0.1`, `[::1]`, also the short forms `127.1` and `0x7f000001`) is judged; a host name
    /// passes, to be resolved and checked when the dataset is downloaded.
    func checkWithoutResolving(host: String) throws {
        let name = Self.bare(host)
        if allowedNames.contains(name) { return }
        // RFC 6761: these names are loopback whatever a resolver says.
        if name == "localhost" || name.hasSuffix(".localhost") || name == "localhost." {
            throw DatasetRejected(
                "The dataset link's host '\(host)' is loopback. This service downloads datasets only from public addresses."
            )
        }
        try check(Self.numericAddresses(name), host: host)
    }

    private func check(_ addresses: [IPAddress], host: String) throws {
        for address in addresses where !allowedNetworks.contains(where: { $0.contains(address) }) {
            if let kind = address.specialPurpose {
                throw DatasetRejected(
                    "The dataset link's host '\(host)' resolves to \(address) (\(kind)). This service downloads datasets only from public addresses."
                )
            }
        }
    }

    /// The host as the resolver reads it: no brackets, and an IPv6 zone's `%25` decoded to `%`.
    private static func bare(_ host: String) -> String {
        let name = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return name.removingPercentEncoding ?? name
    }

    /// The address a numeric host spells (`AI_NUMERICHOST`: never a DNS query); empty for a name.
    static func numericAddresses(_ host: String) -> [IPAddress] {
        if let literal = IPAddress(host) { return [literal] }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICHOST
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else { return [] }
        defer { freeaddrinfo(first) }
        return addresses(from: first)
    }

    static func resolve(_ host: String) throws -> [IPAddress] {
        if let literal = IPAddress(host) { return [literal] }
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else {
            throw DatasetRejected("The dataset link's host '\(host)' could not be resolved. Check the link.")
        }
        defer { freeaddrinfo(first) }
        return addresses(from: first)
    }

    private static func addresses(from first: UnsafeMutablePointer<addrinfo>) -> [IPAddress] {
        var addresses: [IPAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            if let address = IPAddress(sockaddr: info.pointee.ai_addr) { addresses.append(address) }
            cursor = info.pointee.ai_next
        }
        return addresses
    }
}

/// An `allowed_hosts` entry that looks like a network but is not one.
struct DatasetLinkConfigurationError: Error, CustomStringConvertible {
    var entry: String
    var description: String { "'\(entry)' is neither a host name nor a network such as 10.0.0.0/8 or fd00::/8." }
}
