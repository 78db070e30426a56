import Foundation
import Logging
import Testing
import TrainingCore
import TrainingRegistry
import TrainingTesting

/// A PostgreSQL registry whose database goes away and comes back, as in a failover or a restart:
/// calls fail fast with UNAVAILABLE (try again), never hang or answer INTERNAL, and the node
/// recovers by itself.
@Suite("PostgreSQL outage")
struct RegistryOutageTests {
    @Test("during an outage calls fail within seconds with UNAVAILABLE; once the database is back the registry answers again")
    func outageAndRecovery() async throws {
        let cluster = try await PostgresTestCluster.start()
        let logger = Logger(label: "outage-test")
        let sessions = try PostgresSessionProvider.pooled(url: cluster.url(), logger: logger)
        do {
            let registry = try await SQLModelRegistry.migrated(sessions: sessions, logger: logger)
            let model = ModelRecord(
                id: ModelIdentifier.generate(), method: MethodName(service: "s.S", method: "m"), name: "m", now: Date()
            )
            try await registry.create(model)

            await cluster.pause()
            let started = ContinuousClock.now
            do {
                _ = try await registry.model(id: model.id)
                Issue.record("a read succeeded with the database down")
            } catch let error as TrainingError {
                #expect(error.code == .unavailable, "\(error)")
                #expect(error.message.contains("try again"), "\(error.message)")
            }
            #expect(ContinuousClock.now - started < .seconds(15), "failed fast, not after a long hang")

            try await cluster.resume()
            var recovered: ModelRecord?
            let deadline = ContinuousClock.now + .seconds(60)
            while recovered == nil, ContinuousClock.now < deadline {
                recovered = try? await registry.model(id: model.id)
                if recovered == nil { try await Task.sleep(for: .milliseconds(250)) }
            }
            #expect(recovered?.id == model.id, "the registry answers again without a restart")
            // Writes work again too.
            var deleted = try #require(recovered)
            deleted.markDeleted(now: Date())
            _ = try await registry.save(deleted, enqueueing: nil)
            #expect(try await registry.model(id: model.id)?.status == .deleted)
        } catch {
            await sessions.shutdown()
            await cluster.stop()
            throw error
        }
        await sessions.shutdown()
        await cluster.stop()
    }
}
