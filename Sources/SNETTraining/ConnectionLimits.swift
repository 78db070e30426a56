/// Bounds on the gRPC port's client connections. The SingularityNET daemon's status poller opens a
/// new connection for each poll of a model in VALIDATING or TRAINING (every 3 s) and never closes
/// it; without these a few trainings exhaust the server's file descriptors.
public struct ConnectionLimits: Sendable, Hashable {
    /// A connection with no call open for this long is closed (HTTP/2 GOAWAY, then the socket); a
    /// well-behaved client reconnects on its next call. The server also pings a connection that
    /// has sent nothing for this long, and closes outright one that exchanges no byte for twice
    /// this long (a client that never answers the GOAWAY). Nil keeps idle connections forever.
    public var maxIdleTime: Duration?
    /// Connections open at once; one more is closed as soon as it is accepted (the caller sees
    /// UNAVAILABLE). Nil for no limit. Keep it well under the process's open-file limit
    /// (`ulimit -n`), which also covers the registry, datasets and trained models.
    public var maxConnections: Int?

    public init(maxIdleTime: Duration?, maxConnections: Int?) {
        self.maxIdleTime = maxIdleTime
        self.maxConnections = maxConnections
    }

    /// Idle connections closed after 60 s; at most 1024 open.
    public static var defaults: ConnectionLimits {
        ConnectionLimits(maxIdleTime: .seconds(60), maxConnections: 1024)
    }
}
