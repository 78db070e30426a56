import Foundation
import Logging
import Testing
import TrainingCore
import TrainingRegistry
import TrainingTesting

/// Several nodes sharing one PostgreSQL registry, each with its own connection pool.
@Suite("Nodes sharing a PostgreSQL registry")
struct SharedRegistryTests {
    @Test("two nodes racing for queued jobs claim each exactly once")
    func noDoubleClaims() async throws {
        let cluster = try await PostgresTestCluster.start()
        do {
            try await race(cluster)
        } catch {
            await cluster.stop()
            throw error
        }
        await cluster.stop()
    }

    func race(_ cluster: PostgresTestCluster) async throws {
        let logger = Logger(label: "test")
        let nodeA = try await SQLModelRegistry.migrated(sessions: try PostgresSessionProvider(url: cluster.url(), logger: logger), logger: logger)
        let nodeB = try await SQLModelRegistry.migrated(sessions: try PostgresSessionProvider(url: cluster.url(), logger: logger), logger: logger)
        let method = MethodName(service: "service.ExampleService", method: "stt")
        var queued: Set<String> = []
        for index in 0..<30 {
            var model = ModelRecord(id: ModelIdentifier.generate(), method: method, now: Date())
            try await nodeA.create(model)
            try model.beginValidation(dataset: nil, link: "file:///x", now: Date())
            try await nodeA.save(model, enqueueing: TrainingJob(id: "job-\(index)", modelID: model.id, kind: .validate, now: Date()))
            queued.insert("job-\(index)")
        }
        async let claimedByA = Self.drain(nodeA, worker: "a")
        async let claimedByB = Self.drain(nodeB, worker: "b")
        let (a, b) = try await (claimedByA, claimedByB)
        #expect(Set(a).isDisjoint(with: Set(b)))
        #expect(Set(a).union(b) == queued)
        #expect(a.count + b.count == queued.count)
        await nodeA.shutdown()
        await nodeB.shutdown()
    }

    static func drain(_ registry: SQLModelRegistry, worker: String) async throws -> [String] {
        var claimed: [String] = []
        while let job = try await registry.claimJob(worker: worker, leaseExpiresAt: Date() + 60) {
            claimed.append(job.id)
        }
        return claimed
    }
}
