import ArgumentParser
import TrainingClient

struct Create: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a model for a trainable method (create_model) and print its id."
    )

    @OptionGroup var options: GlobalOptions

    @Option(name: .long, help: "The trainable method: SERVICE/METHOD, e.g. service.ExampleService/stt.")
    var method: MethodPath

    @Option(name: .long, help: "The model's name.")
    var name: String

    @Option(name: .long, help: "The model's description.")
    var description = ""

    @Flag(name: .long, help: "Let every consumer of the service use the model.")
    var `public` = false

    @Option(name: .customLong("address"), help: "An Ethereum address that may use the model (repeat for several).")
    var addresses: [String] = []

    @Option(name: .customLong("organization-id"), help: "organization_id, as the daemon fills it.")
    var organizationID = ""

    @Option(name: .customLong("service-id"), help: "service_id, as the daemon fills it.")
    var serviceID = ""

    @Option(name: .customLong("group-id"), help: "group_id, as the daemon fills it.")
    var groupID = ""

    struct Output: Encodable {
        var modelId: String
        var service: String
        var method: String
    }

    func run() async throws {
        try await runCommand(options) { console in
            let id = try await withConnection(options) { client in
                try await ModelClient(wrapping: client, metadata: options.metadata).create(
                    NewModelSpec(
                        service: method.service, method: method.method, name: name, description: description,
                        addresses: addresses, isPublic: self.public, organizationID: organizationID, serviceID: serviceID,
                        groupID: groupID
                    )
                )
            }
            console.result(Output(modelId: id, service: method.service, method: method.method), text: [id])
            return .success
        }
    }
}
