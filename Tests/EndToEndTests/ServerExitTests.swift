import Foundation
import Logging
import SNETTraining
import ServiceLifecycle
import Testing
import TrainingCore
import TrainingTesting

/// Every way a server ends closes its registry, the failures included.
@Suite("A server's exit paths")
struct ServerExitTests {
    @Test("a server that cannot serve (its port is taken) still closes its registry")
    func failingToServeClosesTheRegistry() async throws {
        let holder = try await startTextServer()
        defer { holder.removeData() }
        let scratch = try ScratchDirectory()
        var configuration = TrainingServerConfiguration.defaults
        configuration.dataDirectory = scratch.file("data")
        configuration.port = holder.port  // taken
        var logger = Logger(label: "exit-test")
        logger.logLevel = .critical
        let builder = try await TrainingServerBuilder.open(
            descriptorSet: TextLabelService.descriptorSet, configuration: configuration, logger: logger
        )
        _ = try builder.endpoint(service: "service.ExampleService", method: "stt", trainer: TextLabelTrainer())
        let server = try builder.makeServer(services: [])
        #expect(try await builder.registry.liveModelCount() == 0, "open while the server is being set up")
        await #expect(throws: (any Error).self) { try await server.run() }
        await #expect(throws: (any Error).self, "the registry was closed") { _ = try await builder.registry.liveModelCount() }
        try await holder.stop()
    }

    @Test("a builder dropped without running a server closes its SQLite registry and frees the data directory")
    func droppedBuilderClosesTheRegistry() async throws {
        let scratch = try ScratchDirectory()
        var configuration = TrainingServerConfiguration.defaults
        configuration.dataDirectory = scratch.file("data")
        var logger = Logger(label: "exit-test")
        logger.logLevel = .critical
        // Twice on one data directory: the second open needs the first builder's lock released.
        for _ in 0..<2 {
            var builder: TrainingServerBuilder? = try await TrainingServerBuilder.open(
                descriptorSet: TextLabelService.descriptorSet, configuration: configuration, logger: logger
            )
            #expect(try await builder?.registry.liveModelCount() == 0)
            builder = nil
        }
        // SQLite removes the write-ahead log when the last connection to the file closes, so the
        // log's absence shows every connection of both builders was closed (sqlite-nio asserts,
        // in debug builds, if one is dropped open).
        let log = configuration.dataDirectory.appending(path: "registry.sqlite-wal").path(percentEncoded: false)
        let deadline = ContinuousClock.now + .seconds(30)
        while FileManager.default.fileExists(atPath: log), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(!FileManager.default.fileExists(atPath: log), "the registry's connections are still open")
    }
}
