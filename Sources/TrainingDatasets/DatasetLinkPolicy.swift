public import Foundation

/// What `validate_model`'s `training_data_link` may point at, and how long a download may take.
///
/// By default only `http://` and `https://` links to public addresses are followed: a link that
/// resolves (or redirects) to a loopback, private, link-local, multicast or otherwise special
/// address is refused, so a consumer cannot make the service fetch from its own network.
public struct DatasetLinkPolicy: Sendable {
    /// The only directory `file://` links may read from; nil refuses them.
    public var fileLinkRoot: URL?
    /// Hosts (`files.internal`) and networks (`10.0.0.0/8`, `::1/128`) links may reach even though
    /// they are not public. Empty: public addresses only.
    public var allowedHosts: [String]
    /// Time allowed to connect to the link's server.
    public var connectTimeout: Duration
    /// Time allowed for the whole download.
    public var downloadTimeout: Duration
    /// Redirects followed at most; each is checked like the first link.
    public var maxRedirects: Int

    /// No `file://` links, public addresses only, 10 s to connect, 10 minutes to download, 5 redirects.
    public static var defaults: DatasetLinkPolicy {
        DatasetLinkPolicy(fileLinkRoot: nil, allowedHosts: [], connectTimeout: .seconds(10), downloadTimeout: .seconds(600), maxRedirects: 5)
    }

    public init(fileLinkRoot: URL?, allowedHosts: [String], connectTimeout: Duration, downloadTimeout: Duration, maxRedirects: Int) {
        self.fileLinkRoot = fileLinkRoot
        self.allowedHosts = allowedHosts
        self.connectTimeout = connectTimeout
        self.downloadTimeout = downloadTimeout
        self.maxRedirects = maxRedirects
    }
}
