import Foundation
import SNETTraining

/// The command line: `TrainingBenchmarks [--quick] [--no-pin] [--only NAME] [--stt-service PATH]` prints the figures;
/// `TrainingBenchmarks --serve ROLE --data DIR [--http2 transport] [--dataset DIR]` is the server
/// half of a benchmark, started by the benchmarks themselves as a child process.
struct BenchmarkOptions: Sendable {
    /// Tiny sizes and short runs: checks in seconds that every benchmark still runs (CI).
    var quick = false
    /// Pin servers to the last core and the clients to the others, as the figures were taken.
    var pin = true
    /// Run only the benchmarks whose type name contains this (e.g. `Status`), for profiling one.
    var only: String?
    /// The `stt-service` executable the memory benchmark runs; by default the one built beside this one.
    var sttService: URL?
    /// Set in a child process: which server to run.
    var server: ServerArguments?

    init(_ arguments: [String]) {
        var rest = arguments.dropFirst()
        var role: BenchmarkServerRole?
        var data: URL?
        var http2 = HTTP2Settings.defaults
        var dataset: URL?
        while let argument = rest.popFirst() {
            switch argument {
            case "--quick": quick = true
            case "--no-pin": pin = false
            case "--only": only = rest.popFirst()
            case "--stt-service": sttService = rest.popFirst().map { URL(filePath: $0) }
            case "--serve": role = rest.popFirst().flatMap(BenchmarkServerRole.init(rawValue:))
            case "--data": data = rest.popFirst().map { URL(filePath: $0, directoryHint: .isDirectory) }
            case "--http2": if rest.popFirst() == "transport" { http2 = .transportDefaults }
            case "--dataset": dataset = rest.popFirst().map { URL(filePath: $0, directoryHint: .isDirectory) }
            default:
                FileHandle.standardError.write(
                    Data("unknown argument \(argument); usage: TrainingBenchmarks [--quick] [--no-pin] [--only NAME] [--stt-service PATH]\n".utf8))
                exit(64)
            }
        }
        if let role, let data {
            server = ServerArguments(role: role, dataDirectory: data, http2: http2, dataset: dataset)
        }
    }
}

/// What a child server process is told to run.
struct ServerArguments: Sendable {
    var role: BenchmarkServerRole
    var dataDirectory: URL
    var http2: HTTP2Settings
    var dataset: URL?

    var commandLine: [String] {
        var arguments = ["--serve", role.rawValue, "--data", dataDirectory.path(percentEncoded: false)]
        if http2 == .transportDefaults { arguments += ["--http2", "transport"] }
        if let dataset { arguments += ["--dataset", dataset.path(percentEncoded: false)] }
        return arguments
    }
}
