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
        try await PostgresTestCluster.with { try await race($0) }
    }

    func race(_ cluster: PostgresTestCluster) async throws {
        let logger = Logger(label: "test")
        let nodeA = try await SQLModelRegistry.migrated(sessions: try PostgresSessionProvider.pooled(url: cluster.url(), logger: logger), logger: logger)
        let nodeB = try await SQLModelRegistry.migrated(sessions: try PostgresSessionProvider.pooled(url: cluster.url(), logger: logger), logger: logger)
        let method = MethodName(service: "service.ExampleService", method: "stt")
        var queued: Set<String> = []
        for index in 0..<30 {
            var model = ModelRecord(id: ModelIdentifier.generate(), method: method, now: Date())
            try await nodeA.create(model)
            try model.beginValidation(dataset: nil, link: "file:///x", now: Date())
            try await nodeA.save(model, enqueueing: TrainingJob(id: "job-\(index)", modelID: model.id, kind: .validate, now: Date()))
            queued.insert("job-\(index)")
        }
        // Every claim is in flight at once, half through each node, so the nodes really race for
        // the same rows (draining one node after the other would pass without any race).
        let claims = try await withThrowingTaskGroup(of: (worker: String, job: String?).self) { group in
            for attempt in 0..<(2 * queued.count) {
                let (node, worker) = attempt.isMultiple(of: 2) ? (nodeA, "a") : (nodeB, "b")
                group.addTask { (worker, try await node.claimJob(worker: worker, leaseExpiresAt: Date() + 60)?.id) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        var a = claims.filter { $0.worker == "a" }.compactMap(\.job)
        let b = claims.filter { $0.worker == "b" }.compactMap(\.job)
        #expect(!a.isEmpty && !b.isEmpty, "both nodes won some of the race")
        // A claim that loses the race for a row answers nil; what the race left is drained after.
        while let job = try await nodeA.claimJob(worker: "a", leaseExpiresAt: Date() + 60) { a.append(job.id) }
        #expect(Set(a).isDisjoint(with: Set(b)))
        #expect(Set(a).union(b) == queued)
        #expect(a.count + b.count == queued.count, "a job was claimed twice")
        await nodeA.shutdown()
        await nodeB.shutdown()
    }
}
