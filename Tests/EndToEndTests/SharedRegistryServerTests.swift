import ExampleServiceProto
import Foundation
import GRPCCore
import SNETTraining
import SwiftProtobuf
import Testing
import TrainingProto
import TrainingTesting

@Suite("Two servers sharing one PostgreSQL registry and data directory")
struct SharedRegistryServerTests {
    @Test("a model created and uploaded on one node is trained by either and served by both")
    func twoNodes() async throws {
        let cluster = try await PostgresTestCluster.start()
        let scratch = try ScratchDirectory()
        do {
            try await run(cluster: cluster, scratch: scratch.url)
        } catch {
            await cluster.stop()
            throw error
        }
        await cluster.stop()
    }

    private func run(cluster: PostgresTestCluster, scratch: URL) async throws {
        let archive = scratch.appending(path: "texts.zip")
        try ArchiveBuilder.textDataset(at: archive)
        let shared = scratch.appending(path: "data")
        let nodeA = try await startTextServer(dataDirectory: shared) {
            $0.registryURL = cluster.url()
            $0.jobs.workerName = "node-a"
        }
        let nodeB = try await startTextServer(dataDirectory: shared) {
            $0.registryURL = cluster.url()
            $0.jobs.workerName = "node-b"
        }
        let id = try await nodeA.withClient { grpc in
            try await TrainingClient(wrapping: grpc).validatedModel(archive: archive)
        }
        try await nodeB.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            #expect(try await client.status(id) == .validated)
            #expect(try await client.train(id) == .training)
            let status = try await client.waitWhileBusy(id)
            #expect(status == .readyToUse)
        }
        for node in [nodeA, nodeB] {
            let answer = try await node.withClient { grpc in
                try await Service_ExampleService.Client(wrapping: grpc).stt(
                    .with {
                        $0.modelID = .with { $0.modelID = id }
                        $0.speech = Data("rain and wind".utf8)
                    })
            }
            #expect(answer.result == "weather")
        }
        try await nodeA.stop()
        try await nodeB.stop()
    }
}
