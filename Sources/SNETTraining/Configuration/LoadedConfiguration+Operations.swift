import TrainingOperations

// Operations keys: log format, TLS on the gRPC port, the drain delay, client connection bounds,
// memory return, and the admin listener with its dashboard credentials. docs/operations.md lists the same keys.
extension LoadedConfiguration {
    mutating func readOperations(from settings: SettingsReader) {
        if let format = settings.choice(["logFormat"], of: LogFormat.self) { server.logFormat = format }
        readTLS(settings)
        if let seconds = settings.int(["server", "shutdownDrainSeconds"], in: 0...3_600) {
            server.shutdownDrainDelay = .seconds(seconds)
        }
        readAdmin(settings)
        if let seconds = settings.int(["server", "connections", "maxIdleSeconds"], in: 0...86_400) {
            server.connections.maxIdleTime = seconds == 0 ? nil : .seconds(seconds)
        }
        if let limit = settings.int(["server", "connections", "limit"], in: 0...1_000_000) {
            server.connections.maxConnections = limit == 0 ? nil : limit
        }
        if let seconds = settings.int(["server", "memory", "trimAfterIdleSeconds"], in: 0...86_400) {
            server.memory.trimAfterIdleTime = seconds == 0 ? nil : .seconds(seconds)
        }
        if let arenas = settings.int(["server", "memory", "mallocArenas"], in: 0...1_024) {
            server.memory.mallocArenas = arenas == 0 ? nil : arenas
        }
    }

    private mutating func readTLS(_ settings: SettingsReader) {
        let chain = settings.string(["server", "tls", "certificateChain"]).flatMap { $0.isEmpty ? nil : $0 }
        let key = settings.string(["server", "tls", "privateKey"]).flatMap { $0.isEmpty ? nil : $0 }
        let clientCA = settings.string(["server", "tls", "clientCA"]).flatMap { $0.isEmpty ? nil : $0 }
        switch (chain, key) {
        case (let chain?, let key?):
            server.tls = TrainingServerTLS(certificateChainPath: chain, privateKeyPath: key, clientCertificateAuthorityPath: clientCA)
        case (nil, nil):
            if clientCA != nil {
                settings.problem(
                    "server.tls.clientCA", "needs server.tls.certificateChain and server.tls.privateKey: client certificates are checked only over TLS.")
            }
        default:
            settings.problem("server.tls", "set both certificateChain and privateKey (PEM files), or neither for plaintext.")
        }
    }

    private mutating func readAdmin(_ settings: SettingsReader) {
        let host = settings.string(["admin", "host"])
        let port = settings.int(["admin", "port"], in: 0...65_535)
        let token = settings.string(["admin", "dashboard", "token"]).flatMap { $0.isEmpty ? nil : $0 }
        let username = settings.string(["admin", "dashboard", "username"]).flatMap { $0.isEmpty ? nil : $0 }
        let password = settings.string(["admin", "dashboard", "password"]).flatMap { $0.isEmpty ? nil : $0 }
        if host?.isEmpty == true { settings.problem("admin.host", "must not be empty; use 127.0.0.1 (the default) or an interface address.") }
        guard let port else {
            if host != nil || token != nil || username != nil {
                settings.problem("admin.port", "is needed to turn the admin listener on (admin.host and admin.dashboard.* alone do nothing).")
            }
            return
        }
        if port != 0, port == server.port {
            settings.problem(
                "admin.port", "is \(port), the port of server.port too; give the admin listener a port of its own (or 0 for any free one).")
        }
        var basic: (username: String, password: String)?
        switch (username, password) {
        case (let user?, let password?): basic = (user, password)
        case (nil, nil): basic = nil
        default: settings.problem("admin.dashboard", "set both username and password, or neither.")
        }
        if let token, token.count < 16 {
            settings.problem("admin.dashboard.token", "is too short to guard the dashboard; use at least 16 characters (openssl rand -hex 16).")
        }
        let credentials = DashboardCredentials(bearerToken: token, basic: basic)
        server.admin = AdminListenerConfiguration(
            host: host ?? "127.0.0.1",
            port: port,
            dashboard: credentials.isConfigured ? credentials : nil
        )
    }
}
