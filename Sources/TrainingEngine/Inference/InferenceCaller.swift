/// Who makes an inference call, as the access policy sees it: the Ethereum address the daemon
/// verified for a paid call, or none. Adapters build it from their transport (`TrainingGRPC` reads
/// the request's `snet-user-address`); the engine never sees transport metadata.
public struct InferenceCaller: Sendable, Hashable {
    /// The caller's address (checksummed or not; compared case-insensitively), nil without one.
    public var address: String?

    /// `address` is kept only if it is a well-formed Ethereum address, so no caller-chosen text is
    /// stored or compared.
    public init(address: String?) {
        self.address = address.flatMap { EthereumAddress.isWellFormed($0) ? $0 : nil }
    }

    /// A call that carries no address (a free call, or a test).
    public static let anonymous = InferenceCaller(address: nil)
}
