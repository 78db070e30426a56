import ArgumentParser
import GRPCCore
import TrainingClient

struct Create: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a model for a trainable method (create_model) and print its id.",
        discussion: """
            --caller's address joins the model's address list (as the daemon lists the consumer who \
            creates a model), unless --exclude-caller. A model with no address that is not --public can \
            be used by nobody on a server that restricts access; create then warns.
            """
    )

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

    @Flag(name: .customLong("exclude-caller"), help: "Do not add --caller's address to the model's address list.")
    var excludeCaller = false

    @Option(name: .customLong("organization-id"), help: "organization_id, as the daemon fills it.")
    var organizationID = ""

    @Option(name: .customLong("service-id"), help: "service_id, as the daemon fills it.")
    var serviceID = ""

    @Option(name: .customLong("group-id"), help: "group_id, as the daemon fills it.")
    var groupID = ""

    @OptionGroup var descriptors: DescriptorOptions
    @OptionGroup var options: GlobalOptions

    struct Output: Encodable {
        var modelId: String
        var service: String
        var method: String
        var addresses: [String]
        var isPublic: Bool
        var warnings: [String]
    }

    /// `--address` values, then the caller's unless it is excluded or already listed (letter case
    /// ignored, as the server compares addresses).
    var addressList: [String] {
        guard let caller = options.caller, !excludeCaller,
            !addresses.contains(where: { $0.lowercased() == caller.lowercased() })
        else { return addresses }
        return addresses + [caller]
    }

    func run() async throws {
        try await runCommand(options) { console in
            let listed = addressList
            let (id, target, warnings) = try await withConnection(options) { client in
                let target = try await resolve(client: client)
                let id = try await ModelClient(wrapping: client, metadata: options.metadata).create(
                    NewModelSpec(
                        service: target.service, method: target.method, name: name, description: description,
                        addresses: listed, isPublic: self.public, organizationID: organizationID, serviceID: serviceID,
                        groupID: groupID
                    )
                )
                var warnings: [String] = []
                if listed.isEmpty && !self.public {
                    warnings = await usableByNobodyWarnings(id, target: target, client: client)
                }
                return (id, target, warnings)
            }
            for warning in warnings { console.note("warning: \(warning)") }
            console.result(
                Output(
                    modelId: id, service: target.service, method: target.method, addresses: listed, isPublic: self.public,
                    warnings: warnings
                ),
                text: [id]
            )
            return .success
        }
    }

    /// The method a model is created for.
    struct Target {
        var service: String
        var method: String
        /// Its published options and the protos they came from; nil when the server offers no reflection.
        var published: PublishedTraining.Method?
        var descriptors: ServiceDescriptors?
    }

    /// The method `--method` names, read from the service's protos (so a short name works and a
    /// typo gets a suggestion). A server without reflection still takes a full SERVICE/METHOD as given.
    private func resolve(client: GRPCClient<HTTP2Transport>) async throws -> Target {
        do {
            let (found, _) = try await descriptors.load(client: client)
            let selected = try MethodPath.select(method, in: PublishedTraining(found))
            return Target(service: selected.service, method: selected.method, published: selected, descriptors: found)
        } catch let failure as CommandFailure where failure.code == "UNIMPLEMENTED" {
            guard let service = method.service else { throw failure }
            return Target(service: service, method: method.method)
        }
    }

    /// A model with an empty address list that is not public is usable by nobody when the server
    /// restricts the method. The server checks who may use a model before it reads the rest of a
    /// request, so calling the method with the new id and nothing else tells: NOT_FOUND means
    /// restricted, anything else (the model is not trained yet, or the empty input is refused) means open.
    private func usableByNobodyWarnings(_ id: String, target: Target, client: GRPCClient<HTTP2Transport>) async -> [String] {
        let fix = "delete it (snet-train delete \(id)) and create it again with --caller ADDRESS, --address ADDRESS or --public"
        let name = "\(target.service)/\(target.method)"
        do {
            guard let published = target.published, let found = target.descriptors else { throw CancellationError() }
            let request = try DynamicMessageCodec(descriptors: found).encode(
                type: published.inputType, assignments: [("\(published.modelIDField).model_id", id)]
            )
            _ = try await MethodCaller(wrapping: client).call(service: published.service, method: published.method, request: request)
            return []
        } catch let error as RPCError where error.code == .notFound {
            return [
                "model \(id) can be used by nobody: the server restricts \(name) to each model's address list, and this model's list is empty and it is not public; \(fix)."
            ]
        } catch let error as RPCError where error.code != .unimplemented && error.code != .unavailable {
            return []
        } catch {
            return [
                "model \(id) has no address and is not public: a server that restricts access (access: restricted) lets nobody use it; if yours does, \(fix)."
            ]
        }
    }
}
