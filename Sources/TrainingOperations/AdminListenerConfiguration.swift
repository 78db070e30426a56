/// The admin HTTP listener: Prometheus metrics, health probes and the provider dashboard, on a
/// port of its own so it can stay off the network the daemon reaches.
public struct AdminListenerConfiguration: Sendable {
    /// Address to listen on. Loopback by default: metrics and health need no exposure beyond the
    /// host (a Prometheus agent or load balancer on the same machine or network namespace).
    public var host: String
    /// Port to listen on; 0 picks a free one (the admin server reports the port it got).
    public var port: Int
    /// Who may open the dashboard; nil keeps the dashboard off (metrics and health stay on).
    public var dashboard: DashboardCredentials?

    /// 127.0.0.1 on `port`, dashboard off.
    public init(host: String = "127.0.0.1", port: Int, dashboard: DashboardCredentials? = nil) {
        self.host = host
        self.port = port
        self.dashboard = dashboard
    }
}

/// Credentials the dashboard accepts: a bearer token, basic credentials, or both.
public struct DashboardCredentials: Sendable {
    /// `Authorization: Bearer <token>`, or the login form's token.
    public var bearerToken: String?
    /// `Authorization: Basic` user name and password.
    public var basic: (username: String, password: String)?

    public init(bearerToken: String? = nil, basic: (username: String, password: String)? = nil) {
        self.bearerToken = bearerToken
        self.basic = basic
    }

    /// Whether any credential is set (otherwise the dashboard stays off).
    public var isConfigured: Bool { bearerToken != nil || basic != nil }
}
