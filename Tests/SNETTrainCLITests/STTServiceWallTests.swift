import Foundation
import Logging
import SNETTraining
import Testing
import TrainingTesting

/// Start-up walls a newcomer met in the first hour: each ends at once with one line that names
/// the key to change, and an exit code README's start-up table lists.
@Suite("stt-service: start-up walls")
struct STTServiceWallTests {
    /// The lines stt-service itself wrote (log lines aside).
    static func ownLines(_ run: CLIRun) -> [Substring] {
        run.stderr.split(separator: "\n").filter { $0.hasPrefix("stt-service: ") }
    }

    @Test("an admin port in use names admin.port and that port, not server.port")
    func adminPortInUse() async throws {
        let scratch = try ScratchDirectory()
        let listener = try ListeningSocket()
        let run = try await runProcess(
            sttServiceBinary(), ["--port", "0", "--data-dir", scratch.file("data").path(percentEncoded: false)],
            environment: ["STT_SERVICE_ADMIN_PORT": "\(listener.port)"], timeout: .seconds(30)
        )
        #expect(run.exitCode == 69)
        #expect(
            Self.ownLines(run) == [
                "stt-service: admin.port \(listener.port) on 127.0.0.1 is already in use (by another process, or another stt-service's admin listener); stop that process or choose another admin.port (STT_SERVICE_ADMIN_PORT)."
            ], "\(run.stderr)")
        #expect(!run.stderr.contains("server.port"))
    }

    @Test("admin.port equal to server.port is a configuration problem naming both keys")
    func adminPortIsServerPort() async throws {
        let scratch = try ScratchDirectory()
        let port = try freePort()
        let run = try await runProcess(
            sttServiceBinary(), ["--port", "\(port)", "--data-dir", scratch.file("data").path(percentEncoded: false)],
            environment: ["STT_SERVICE_ADMIN_PORT": "\(port)"], timeout: .seconds(30)
        )
        #expect(run.exitCode == 78)
        #expect(run.stderr.contains("admin.port: is \(port), the port of server.port too; give the admin listener a port of its own"), "\(run.stderr)")
    }

    @Test("a second process on a data directory whose SQLite registry is held exits at once naming the holder's pid, exit 75")
    func sqliteRegistryHeld() async throws {
        let scratch = try ScratchDirectory()
        let data = scratch.file("data")
        func start() async throws -> LiveTrainingServer {
            try await LiveTrainingServer.start(dataDirectory: data) { configuration, logger in
                try await TextLabelService.makeServer(configuration: configuration, logger: logger)
            }
        }
        // This test process holds the registry, as a running stt-service would.
        let holder = try await start()
        let started = ContinuousClock.now
        let run = try await runProcess(sttServiceBinary(), ["--port", "0", "--data-dir", data.path(percentEncoded: false)], timeout: .seconds(60))
        #expect(run.exitCode == 75)
        var path = data.path(percentEncoded: false)
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        #expect(
            Self.ownLines(run) == [
                "stt-service: the data directory \(path) is in use by process \(ProcessInfo.processInfo.processIdentifier), which holds its SQLite registry; stop that process, or give this one another data directory (server.dataDirectory). Nodes that share a data directory need a shared PostgreSQL registry (server.registryURL)."
            ], "\(run.stderr)")
        #expect(ContinuousClock.now - started < .seconds(30), "before the default model is built")
        try await holder.stop()
        // Released when the holder stopped: the next server on the directory starts.
        let next = try await start()
        try await next.stop()
    }
}
