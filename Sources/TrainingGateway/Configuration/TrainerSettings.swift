import Foundation

/// `methods.<method>.trainer`: `command` (the program and its first arguments), `timeLimitSeconds`,
/// `validationTimeLimitSeconds`, `gracePeriodSeconds`, `concurrency`, `environment` (`NAME=value` items),
/// `runner` (`local` or `slurm`) and, for `slurm`, `slurm.*` (``SlurmSettings``).
enum TrainerSettings {
    static func read(section: String, settings: GatewaySettingsReader) -> TrainerCommand? {
        let commandKey = "\(section).command"
        let command = settings.strings(commandKey)
        var defaults = TrainerCommand(executable: "")
        if let seconds = settings.int("\(section).timeLimitSeconds", in: 1...604_800) { defaults.timeLimit = .seconds(seconds) }
        if let seconds = settings.int("\(section).validationTimeLimitSeconds", in: 1...86_400) {
            defaults.validationTimeLimit = .seconds(seconds)
        }
        if let seconds = settings.int("\(section).gracePeriodSeconds", in: 0...600) { defaults.gracePeriod = .seconds(seconds) }
        if let runs = settings.int("\(section).concurrency", in: 1...256) { defaults.concurrency = runs }
        for item in settings.strings("\(section).environment") ?? [] {
            guard let equals = item.firstIndex(of: "="), equals > item.startIndex else {
                settings.problem("\(section).environment", "'\(item)' is not NAME=value.")
                continue
            }
            defaults.environment[String(item[..<equals])] = String(item[item.index(after: equals)...])
        }
        defaults.runner = runner(section: section, settings: settings)
        guard let command, let program = command.first, !program.isEmpty else {
            settings.problem(
                commandKey,
                "is required: the trainer program and its first arguments, as a list ([python3, train.py]); see docs/trainer-protocol.md."
            )
            return nil
        }
        guard let executable = executable(program, settings: settings) else {
            settings.problem(commandKey, "'\(program)'\(settings.origin(commandKey)) is not an executable file, nor a program on PATH.")
            return nil
        }
        defaults.executable = executable
        // Arguments that are relative paths (./x, ../x, or an existing file next to the configuration)
        // are made absolute: the trainer runs in a working directory of its own.
        defaults.arguments = command.dropFirst().map { argument in
            let resolved = settings.resolvedPath(argument)
            let relative = argument.hasPrefix("./") || argument.hasPrefix("../")
            return !argument.hasPrefix("/") && !argument.hasPrefix("-") && (relative || FileManager.default.fileExists(atPath: resolved))
                ? resolved : argument
        }
        return defaults
    }

    private static func runner(section: String, settings: GatewaySettingsReader) -> TrainerCommand.Runner {
        let key = "\(section).runner"
        switch settings.string(key) {
        case nil, "local": return .local
        case "slurm": return .slurm(SlurmSettings.read(section: "\(section).slurm", runnerKey: key, settings: settings))
        case let other?:
            settings.problem(
                key,
                "'\(other)'\(settings.origin(key)) is not a runner: write local (a subprocess of the gateway, the default) or slurm (a batch job of a Slurm cluster)."
            )
            return .local
        }
    }

    /// The program's absolute path: a path as written (relative to the configuration), or a name on PATH.
    private static func executable(_ program: String, settings: GatewaySettingsReader) -> String? {
        if program.contains("/") {
            let path = settings.resolvedPath(program)
            return FileManager.default.isExecutableFile(atPath: path) ? path : nil
        }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
