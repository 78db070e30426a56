import ArgumentParser
import GRPCCore
import TrainingClient

struct Inspect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what the daemon will publish about this service's training, and warn about mistakes.",
        discussion: """
            Reads the service's protos through server reflection (or --proto-set) and prints each service's \
            trainable methods with their training.* options, as the daemon's get_training_metadata and \
            get_method_metadata give them to consumers. Warns about methods without dataset limits, \
            dataset types the server cannot read, and a default_model_id the service does not serve \
            (found by calling the method with that id, unless --no-probe).
            """
    )

    @Flag(name: .customLong("no-probe"), help: "Do not call trainable methods to check their default_model_id.")
    var noProbe = false

    @Flag(name: .long, help: "Exit with code 8 when there are warnings.")
    var strict = false

    @OptionGroup var descriptors: DescriptorOptions
    @OptionGroup var options: GlobalOptions

    struct Output: Encodable {
        var source: DescriptorOptions.Source
        var services: [String]
        var trainingInProto: Bool
        var trainingMethods: [String: [String]]
        var methods: [PublishedTraining.Method]
        var warnings: [String]
    }

    func run() async throws {
        try await runCommand(options) { console in
            let (found, source, probeWarnings): (ServiceDescriptors, DescriptorOptions.Source, [String])
            if let protoSet = descriptors.protoSet {
                (found, source, probeWarnings) = (try descriptors.loadFile(protoSet), .file, [])
            } else {
                (found, source, probeWarnings) = try await withConnection(options) { client in
                    let (found, source) = try await descriptors.load(client: client)
                    let warnings = noProbe ? [] : try await probeDefaults(PublishedTraining(found), found, client)
                    return (found, source, warnings)
                }
            }
            var published = PublishedTraining(found)
            published.warnings += probeWarnings
            console.result(
                Output(
                    source: source, services: found.services, trainingInProto: published.trainingInProto,
                    trainingMethods: published.trainingMethods, methods: published.methods, warnings: published.warnings
                ),
                text: Self.text(published, services: found.services, source: source)
            )
            return strict && !published.warnings.isEmpty ? .warnings : .success
        }
    }

    /// Calls each trainable method with its default_model_id and nothing else. NOT_FOUND,
    /// FAILED_PRECONDITION or UNIMPLEMENTED mean the id is not served; any other answer (an empty
    /// input refused as INVALID_ARGUMENT, or a result) means the model was found.
    private func probeDefaults(
        _ published: PublishedTraining, _ found: ServiceDescriptors, _ client: GRPCClient<HTTP2Transport>
    ) async throws -> [String] {
        let codec = DynamicMessageCodec(descriptors: found)
        let caller = MethodCaller(wrapping: client)
        var warnings: [String] = []
        for method in published.methods where !method.defaultModelID.isEmpty {
            let request = try codec.encode(type: method.inputType, assignments: [("\(method.modelIDField).model_id", method.defaultModelID)])
            do {
                _ = try await caller.call(service: method.service, method: method.method, request: request, metadata: options.metadata)
            } catch let error as RPCError where [.notFound, .failedPrecondition, .unimplemented].contains(error.code) {
                warnings.append(
                    "\(method.fullName): default_model_id '\(method.defaultModelID)' is not served: calling the method with it answers \(CommandFailure.name(of: error.code)): \(CommandFailure.oneLine(error.message))"
                )
            } catch let error as RPCError where error.code == .unavailable {
                // The endpoint answered reflection, so this comes from behind it (a gateway's
                // provider still starting, or down): say so, and go on.
                warnings.append(
                    "\(method.fullName): default_model_id '\(method.defaultModelID)' was not checked: calling the method answers UNAVAILABLE: \(CommandFailure.oneLine(error.message))"
                )
            } catch {
                // The model was found; the probe's empty input was refused, as it may be.
            }
        }
        return warnings
    }

    static func text(_ published: PublishedTraining, services: [String], source: DescriptorOptions.Source) -> [String] {
        let count = published.methods.count
        var lines = [
            "Services (\(source.rawValue)): \(services.joined(separator: ", "))",
            count == 0
                ? "Training: off (no trainable method; the daemon will publish none)"
                : "Training: on, \(count) trainable method\(count == 1 ? "" : "s")",
        ]
        for method in published.methods {
            lines.append("")
            lines.append("\(method.fullName)  (input \(method.inputType), model id in field \(method.modelIDField))")
            let options: [(String, String)] = [
                ("default_model_id", method.defaultModelID), ("max_models_per_user", "\(method.maxModelsPerUser)"),
                ("dataset_max_size_mb", "\(method.datasetMaxSizeMB)"), ("dataset_max_count_files", "\(method.datasetMaxCountFiles)"),
                ("dataset_max_size_single_file_mb", "\(method.datasetMaxSizeSingleFileMB)"),
                ("dataset_files_type", method.datasetFilesType), ("dataset_type", method.datasetType),
                ("dataset_description", method.datasetDescription),
            ]
            for (name, value) in options { lines.append("  \(name): \(value)") }
        }
        lines.append("")
        if published.warnings.isEmpty {
            lines.append("Warnings: none")
        } else {
            lines.append("Warnings:")
            lines += published.warnings.map { "  - \($0)" }
        }
        return lines
    }
}
