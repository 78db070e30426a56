import Foundation
import SNETTraining

/// One benchmark: prints its own Markdown table, each figure next to the baseline it is quoted
/// against, measured in the same run.
protocol Benchmark: Sendable {
    var title: String { get }
    func run(_ context: BenchmarkContext) async throws
}

/// What every benchmark shares: the size mode, a scratch directory, and how to start servers.
struct BenchmarkContext: Sendable {
    var quick: Bool
    var pin: Bool
    /// Removed after the run.
    var scratch: URL
    /// The `stt-service` executable to run as a product (nil: the one beside this executable).
    var sttService: URL? = nil

    /// A new, empty directory under ``scratch``.
    func directory(_ name: String) throws -> URL {
        let url = scratch.appending(path: "\(name)-\(UUID().uuidString.prefix(8))", directoryHint: .isDirectory)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Starts a server in a child process (pinned to the server core when pinning).
    func startServer(
        _ role: BenchmarkServerRole, http2: HTTP2Settings = .defaults, dataset: URL? = nil, data: URL? = nil
    )
        throws -> ServerProcess
    {
        let directory = try data ?? self.directory(role.rawValue)
        let arguments = ServerArguments(role: role, dataDirectory: directory, http2: http2, dataset: dataset)
        return try ServerProcess.start(arguments, pinned: pin ? CorePinning.serverCore : nil)
    }

    /// The example service in a child process. Its default model is trained on first start and
    /// cached in the data directory; the cache is shared between benchmarks so it is trained once.
    func startSpeechServer() throws -> ServerProcess {
        let data = try directory("stt")
        let cache = scratch.appending(path: "speech-model-cache", directoryHint: .isDirectory)
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        for file in try FileManager.default.contentsOfDirectory(at: cache, includingPropertiesForKeys: nil) {
            try FileManager.default.copyItem(at: file, to: data.appending(path: file.lastPathComponent))
        }
        let server = try startServer(.stt, dataset: SpeechData.defaultDataset, data: data)
        for file in try FileManager.default.contentsOfDirectory(at: data, includingPropertiesForKeys: nil)
        where file.lastPathComponent.hasPrefix("default-speech-model-") {
            try? FileManager.default.copyItem(at: file, to: cache.appending(path: file.lastPathComponent))
        }
        return server
    }
}
