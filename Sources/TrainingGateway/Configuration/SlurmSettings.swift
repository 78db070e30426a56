import Foundation

/// `methods.<method>.trainer.slurm`: `partition`, `account`, `gpus`, `memory`, `cpusPerTask`,
/// `extraArguments` (a list of `sbatch` arguments), `pendingLimitSeconds`, `sharedDirectory`,
/// `pollIntervalSeconds`, `resubmissions`. Read only with `runner: slurm`, so they are unknown keys
/// (refused) otherwise. Slurm's commands must be on the gateway's PATH.
enum SlurmSettings {
    static func read(section: String, runnerKey: String, settings: GatewaySettingsReader) -> SlurmOptions {
        var options = SlurmOptions()
        options.partition = word(settings, "\(section).partition")
        options.account = word(settings, "\(section).account")
        options.gpus = word(settings, "\(section).gpus")
        options.memory = word(settings, "\(section).memory")
        options.cpusPerTask = settings.int("\(section).cpusPerTask", in: 1...4_096)
        options.extraArguments = settings.strings("\(section).extraArguments") ?? []
        for argument in options.extraArguments where !argument.hasPrefix("-") {
            settings.problem("\(section).extraArguments", "'\(argument)' is not an sbatch option: write each as --name=value (--qos=long).")
        }
        if let seconds = settings.int("\(section).pendingLimitSeconds", in: 1...2_592_000) { options.pendingLimit = .seconds(seconds) }
        if let seconds = settings.int("\(section).pollIntervalSeconds", in: 1...300) { options.pollInterval = .seconds(seconds) }
        if let count = settings.int("\(section).resubmissions", in: 0...10) { options.resubmissions = count }
        if let path = settings.string("\(section).sharedDirectory") {
            let key = "\(section).sharedDirectory"
            let resolved = settings.resolvedPath(path)
            do {
                try FileManager.default.createDirectory(atPath: resolved, withIntermediateDirectories: true)
                options.sharedDirectory = URL(filePath: resolved, directoryHint: .isDirectory)
            } catch {
                settings.problem(
                    key, "'\(resolved)'\(settings.origin(key)) cannot be created: give a directory on storage the cluster's nodes share with the gateway.")
            }
        }
        let missing = SlurmClient.commands.filter { onPath($0) == nil }
        if !missing.isEmpty {
            settings.problem(runnerKey, "slurm needs \(missing.joined(separator: ", ")) on the gateway's PATH (Debian: apt-get install slurm-client).")
        }
        return options
    }

    /// A value passed to sbatch as one argument: no spaces or control characters.
    private static func word(_ settings: GatewaySettingsReader, _ key: String) -> String? {
        guard let value = settings.string(key) else { return nil }
        guard !value.isEmpty, value.allSatisfy({ !$0.isWhitespace && !$0.isNewline && $0.isASCII }) else {
            settings.problem(key, "'\(value)'\(settings.origin(key)) must be one word (letters, digits, punctuation; no spaces).")
            return nil
        }
        return value
    }

    static func onPath(_ program: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(program)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
