import Foundation
import Testing

/// The one-node Slurm cluster of `scripts/start-slurm.sh`, started (or found) once per test process.
/// Without Slurm installed the Slurm tests are skipped, except in CI (`CI=true`), where they must run.
enum SlurmTestCluster {
    struct Missing: Error, CustomStringConvertible {
        var description: String
    }

    static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"
    static let script = URL(filePath: #filePath).deletingLastPathComponent().appending(path: "../../scripts/start-slurm.sh").standardizedFileURL

    /// `SLURM_CONF` of the running cluster, or why there is none.
    static let started: Result<String, Missing> = start()

    /// Whether the Slurm suites run: a cluster is there, or this is CI (where its absence fails them).
    static var shouldRun: Bool {
        if case .success = started { return true }
        return isCI
    }

    /// The cluster's `SLURM_CONF`, set in this process's environment for Slurm's commands.
    @discardableResult
    static func require() throws -> String {
        try started.get()
    }

    /// `hostname -s`: the cluster's one node.
    static var node: String {
        var name = [CChar](repeating: 0, count: 256)
        gethostname(&name, name.count)
        return String(cString: name).split(separator: ".").first.map(String.init) ?? "localhost"
    }

    private static func start() -> Result<String, Missing> {
        guard FileManager.default.isExecutableFile(atPath: "/usr/sbin/slurmctld"), getuid() == 0 || isCI else {
            return .failure(
                Missing(
                    description:
                        "no Slurm cluster: apt-get install slurm-wlm munge, then run the tests as root (scripts/start-slurm.sh starts a one-node cluster)"))
        }
        let process = Process()
        process.executableURL = script
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        do {
            try process.run()
        } catch {
            return .failure(Missing(description: "scripts/start-slurm.sh did not start: \(error)"))
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0,
            let line = text.split(whereSeparator: \.isNewline).last(where: { $0.hasPrefix("SLURM_CONF=") })
        else {
            return .failure(Missing(description: "scripts/start-slurm.sh failed: \(text)"))
        }
        let conf = String(line.dropFirst("SLURM_CONF=".count))
        setenv("SLURM_CONF", conf, 1)
        return .success(conf)
    }

    /// Runs a Slurm command (`scontrol`, `scancel`, `squeue`) as a test's operator would; its output.
    @discardableResult
    static func command(_ arguments: String...) throws -> String {
        let process = Process()
        process.executableURL = URL(filePath: "/usr/bin/env")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text
    }
}
