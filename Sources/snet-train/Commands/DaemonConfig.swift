import ArgumentParser

struct DaemonConfig: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daemon-config",
        abstract: "Print the snetd configuration keys that make the daemon train through this endpoint.",
        discussion: """
            One port serves training.Model and the trainable methods, so both endpoints are the same. \
            Also publish the service proto (which imports training.proto) in the service metadata.
            """
    )

    @Option(name: .customLong("service-endpoint"), help: "The service's endpoint, if it differs from --endpoint.")
    var serviceEndpoint: String?

    @OptionGroup var options: EndpointOptions

    struct Output: Encodable {
        var service_endpoint: String
        var model_maintenance_endpoint: String
        var model_training_enabled: Bool
    }

    func run() async throws {
        try await runCommand(options) { console in
            let training = try options.parsedEndpoint().url
            let service = try serviceEndpoint.map { try Endpoint(parsing: $0, tls: false, source: "--service-endpoint").url } ?? training
            console.result(
                Output(service_endpoint: service, model_maintenance_endpoint: training, model_training_enabled: true),
                text: [
                    "\"service_endpoint\": \"\(service)\",",
                    "\"model_maintenance_endpoint\": \"\(training)\",",
                    "\"model_training_enabled\": true",
                ]
            )
            return .success
        }
    }
}
