import ArgumentParser
import Foundation

/// Where the server is, and how to print: what every command takes, `daemon-config` included.
struct EndpointOptions: ParsableArguments {
    /// The environment variable that sets the endpoint when `--endpoint` is not given, so a shell
    /// session or CI job names its server once.
    static let endpointVariable = "SNET_TRAIN_ENDPOINT"
    static let fallbackEndpoint = "127.0.0.1:\(Endpoint.defaultPort)"

    @Option(
        name: .customLong("endpoint"),
        help: ArgumentHelp(
            "The training.Model endpoint: host[:port], http://host[:port] or https://host[:port]; the port defaults to 5002.",
            discussion: "Default: $SNET_TRAIN_ENDPOINT, else 127.0.0.1:5002."
        )
    )
    var endpointOption: String?

    @Flag(name: .long, help: "Use TLS (implied by https:// and --ca-file).")
    var tls = false

    @Flag(name: .long, help: "Print one JSON object per result (watch: one per status change) instead of text.")
    var json = false

    /// The endpoint as given: `--endpoint`, else `SNET_TRAIN_ENDPOINT`, else the local default.
    var endpoint: String {
        endpointOption ?? Self.environmentEndpoint ?? Self.fallbackEndpoint
    }

    /// Where ``endpoint`` came from, for messages about it.
    var endpointSource: String {
        endpointOption != nil ? "--endpoint" : (Self.environmentEndpoint != nil ? Self.endpointVariable : "the default endpoint")
    }

    private static var environmentEndpoint: String? {
        ProcessInfo.processInfo.environment[endpointVariable].flatMap { $0.isEmpty ? nil : $0 }
    }

    func parsedEndpoint(tlsImplied: Bool = false) throws -> Endpoint {
        try Endpoint(parsing: endpoint, tls: tls || tlsImplied, source: endpointSource)
    }

    func validate() throws {
        _ = try parsedEndpoint()
    }
}

/// How to reach the server: what every command that connects takes (`pack` and `check` too, for
/// reflection).
struct ConnectionOptions: ParsableArguments {
    @OptionGroup var endpointOptions: EndpointOptions

    @Option(name: .customLong("ca-file"), help: "PEM file of the certificate authorities to trust for TLS (default: the system's).")
    var caFile: String?

    @Option(name: .customLong("cert"), help: "PEM client certificate chain, for a server that requires mutual TLS (with --key).")
    var certificateFile: String?

    @Option(name: .customLong("key"), help: "PEM private key of --cert.")
    var keyFile: String?

    @Option(
        name: .customLong("wait-for-server"),
        help: "Keep trying to reach the endpoint for up to this many seconds (a server that is still starting); default: fail at once."
    )
    var waitForServer: Double?

    var json: Bool { endpointOptions.json }
    var endpoint: String { endpointOptions.endpoint }

    func parsedEndpoint() throws -> Endpoint {
        try endpointOptions.parsedEndpoint(tlsImplied: caFile != nil || certificateFile != nil)
    }

    func validate() throws {
        _ = try parsedEndpoint()
        if (certificateFile == nil) != (keyFile == nil) { throw ValidationError("--cert and --key go together (mutual TLS).") }
        if let waitForServer, !(waitForServer >= 0) { throw ValidationError("--wait-for-server must not be negative.") }
    }
}

/// Flags every command that calls the service takes: how to reach it, and who calls.
struct GlobalOptions: ParsableArguments {
    static let endpointVariable = EndpointOptions.endpointVariable

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .long, help: "Send this Ethereum address as snet-user-address, as the daemon does on paid calls.")
    var caller: String?

    var json: Bool { connection.json }
    var endpoint: String { connection.endpoint }

    func parsedEndpoint() throws -> Endpoint {
        try connection.parsedEndpoint()
    }
}
