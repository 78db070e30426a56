import ArgumentParser

/// Flags every command takes: where the server is, how to reach it, and how to print.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "The training.Model endpoint: host:port, http://host:port or https://host:port.")
    var endpoint = "127.0.0.1:5002"

    @Flag(name: .long, help: "Use TLS (implied by https:// and --ca-file).")
    var tls = false

    @Option(name: .customLong("ca-file"), help: "PEM file of the certificate authorities to trust for TLS (default: the system's).")
    var caFile: String?

    @Option(name: .long, help: "Send this Ethereum address as snet-user-address, as the daemon does on paid calls.")
    var caller: String?

    @Flag(name: .long, help: "Print one JSON object per result (watch: one per status change) instead of text.")
    var json = false

    func validate() throws {
        _ = try Endpoint(parsing: endpoint, tls: tls || caFile != nil)
    }
}
