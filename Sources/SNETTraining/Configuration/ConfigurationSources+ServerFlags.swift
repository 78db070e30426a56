extension ConfigurationSources {
    /// The command-line values of the flags every server executable of this package takes (`--host`,
    /// `--port`, `--data-dir`, `--job-concurrency`, `--log-level`), by configuration key; an
    /// executable adds its own. The configuration reader checks them like any other value.
    package static func serverFlags(
        host: String?, port: Int?, dataDirectory: String?, jobConcurrency: Int?, logLevel: String?
    ) -> [String: Value] {
        var values: [String: Value] = [:]
        if let host { values["server.host"] = .string(host) }
        if let port { values["server.port"] = .int(port) }
        if let dataDirectory { values["server.dataDirectory"] = .string(dataDirectory) }
        if let jobConcurrency { values["jobs.concurrency"] = .int(jobConcurrency) }
        if let logLevel { values["logLevel"] = .string(logLevel) }
        return values
    }
}
