import ExampleServiceProto
import Foundation
import GRPCCore
import SNETTraining
import SwiftProtobuf
import Testing
import Logging
import SQLKit
import TrainingProto
import TrainingRegistry
import TrainingTesting

@Suite("Two servers sharing one PostgreSQL registry and data directory")
struct SharedRegistryServerTests {
    @Test("a model created and uploaded on one node is trained by either and served by both")
    func twoNodes() async throws {
        let scratch = try ScratchDirectory()
        try await PostgresTestCluster.with { try await run(cluster: $0, scratch: scratch.url) }
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

    @Test(
        "at graceful shutdown the PostgreSQL client outlives the serving tasks: the running training is handed back, then every connection closes"
    )
    func shutdownOrder() async throws {
        let scratch = try ScratchDirectory()
        try await PostgresTestCluster.with { try await handBack(cluster: $0, scratch: scratch.url) }
    }

    private func handBack(cluster: PostgresTestCluster, scratch: URL) async throws {
        let archive = scratch.appending(path: "texts.zip")
        try ArchiveBuilder.textDataset(at: archive)
        let events = TrainerEvents()
        let node = try await startTextServer(
            dataDirectory: scratch.appending(path: "data"), trainer: TextLabelTrainer(trainingDelay: .seconds(60), events: events)
        ) {
            $0.registryURL = cluster.url()
            $0.jobs.lease = .seconds(60)  // no lease expiry can stand in for the hand-back
        }
        let id = try await node.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            let id = try await client.validatedModel(archive: archive)
            #expect(try await client.train(id) == .training)
            return id
        }
        #expect(try await events.wait(for: .started, timeout: .seconds(30)))
        try await node.stop()

        // A provider of its own, never run: it reads on one-off connections.
        let sessions = try PostgresSessionProvider(url: cluster.url(), logger: Logger(label: "test"))
        let (job, nodeConnections) = try await sessions.withSession { db in
            let job = try await db.raw("SELECT state, attempts, worker FROM jobs WHERE model_id = \(bind: id) AND kind = 'train'")
                .first(decoding: JobRow.self)
            let others = try await db.raw(
                "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).first(decoding: Count.self)
            return (job, others?.n)
        }
        #expect(job?.state == "queued", "the running job went back to the queue: \(String(describing: job))")
        #expect(job?.attempts == 0, "its attempt is not counted")
        #expect(job?.worker == nil)
        #expect(nodeConnections == 0, "the node's pool closed at the end of its shutdown")
        await sessions.shutdown()
    }

    private struct JobRow: Decodable, Sendable {
        var state: String
        var attempts: Int
        var worker: String?
    }

    private struct Count: Decodable, Sendable {
        var n: Int
    }
}
