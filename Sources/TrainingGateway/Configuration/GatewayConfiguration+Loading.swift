public import SNETTraining

extension GatewayConfiguration {
    /// Reads the gateway's configuration from `sources` (file, `TRAINING_GATEWAY_*` variables, flags):
    /// the library's keys (`server.*`, `jobs.*`, `links.*`, `limits.*`, `access`,
    /// `methods.<method>.{access,maxModelsPerUser,pricing}`) through ``ConfigurationSources/load(methods:base:)``,
    /// and the gateway's own (`provider.*`, `methods.<method>.trainer.*`). Every problem of both is
    /// reported at once, each naming its key.
    public static func load(sources: ConfigurationSources) async throws(ConfigurationError) -> GatewayConfiguration {
        let opened = try await sources.open()
        let settings = GatewaySettingsReader(opened)
        let endpoint = ProviderEndpoint.read(settings)
        let descriptorSet = await DescriptorSetSource.read(settings)
        var methods: [TrainableMethod] = []
        if let descriptorSet {
            do {
                methods = Array(try TrainableMethodCatalog(descriptorSet: descriptorSet).methods.values)
                if methods.isEmpty {
                    settings.problem(
                        "provider.descriptorSet",
                        "declares no trainable method: give a method's input message a training.ModelID field (see docs/trainer-protocol.md)."
                    )
                }
            } catch {
                settings.problem("provider.descriptorSet", "is not a FileDescriptorSet; compile it with protoc --include_imports --descriptor_set_out=FILE.")
            }
        }
        var trainers: [MethodName: TrainerCommand] = [:]
        var sections: [MethodName: String] = [:]
        for method in methods.sorted(by: { $0.name < $1.name }) {
            let section = "methods.\(LoadedConfiguration.sectionName(of: method, among: methods))"
            sections[method.name] = section
            if let command = TrainerSettings.read(section: section + ".trainer", settings: settings) {
                trainers[method.name] = command
            }
        }

        // The library's keys last: by then the gateway's own keys were read, so they count as known.
        var problems = settings.problems
        var loaded: LoadedConfiguration?
        do {
            loaded = try opened.load(methods: methods, base: Self.base(for: trainers))
        } catch {
            problems += error.problems
        }
        if let loaded {
            problems += Self.jobBoundProblems(loaded.server.jobs.maxRunTime, trainers: trainers, sections: sections)
        }
        guard problems.isEmpty, let loaded, let descriptorSet, let endpoint else {
            throw ConfigurationError(problems: problems)
        }
        var notes = loaded.notes
        for (name, command) in trainers.sorted(by: { $0.key < $1.key }) {
            guard case .slurm(let options) = command.runner, loaded.server.jobs.maxRunTime < options.pendingLimit + command.timeLimit else { continue }
            notes.append(
                "jobs.maxRunTimeSeconds (\(loaded.server.jobs.maxRunTime.components.seconds)) is below \(name)'s trainer.slurm.pendingLimitSeconds plus trainer.timeLimitSeconds: a job that waits long in the cluster's queue is stopped by the job time limit first."
            )
        }
        return GatewayConfiguration(
            server: loaded.server,
            provider: Provider(
                descriptorSet: descriptorSet, host: endpoint.host, port: endpoint.port, tls: endpoint.tls,
                caFile: endpoint.caFile, maxResponseMessageBytes: endpoint.maxResponseMessageBytes
            ),
            trainers: trainers,
            logLevel: loaded.logLevel,
            notes: notes
        )
    }
}
