import Foundation
import Testing
import TrainingCore
import TrainingEngine
import TrainingTesting

/// Quotas, server-wide caps and the default model's protections: checked before anything is
/// stored or queued.
@Suite("Quotas, caps and the default model")
struct QuotaTests {
    static let alice = "0xAbCdEf0123456789aBcDeF0123456789AbCdEf01"
    static let bob = "0x1111111111111111111111111111111111111111"
    static let carol = "0x2222222222222222222222222222222222222222"
    /// The same address in the spellings a caller may use: they all count as one.
    static let aliceSpellings = [alice, alice.lowercased(), alice.uppercased().replacing("0X", with: "0x")]

    static func refusal(_ body: () async throws -> Void) async -> TrainingError? {
        await #expect(throws: TrainingError.self) { try await body() }
    }

    @Test("max_models_per_user from the method (5): exactly 5 models per address, the 6th is RESOURCE_EXHAUSTED naming the limit")
    func methodQuota() async throws {
        let engine = try InMemoryEngine(trainer: TextLabelTrainer())
        defer { engine.stop() }
        var ids: [String] = []
        for index in 0..<5 { ids.append(try await engine.createModel(addresses: [Self.aliceSpellings[index % 3]])) }
        let full = await Self.refusal { _ = try await engine.createModel(addresses: [Self.alice]) }
        #expect(full?.code == .resourceExhausted)
        #expect(full?.message.contains("max_models_per_user = 5") == true && full?.message.contains(Self.alice.lowercased()) == true)
        // Listed beside another address, the full one still refuses the model.
        let listed = await Self.refusal { _ = try await engine.createModel(addresses: [Self.bob, Self.aliceSpellings[2]]) }
        #expect(listed?.code == .resourceExhausted)
        // Other addresses are not affected, and the refused calls stored nothing.
        #expect(try await engine.registry.liveModelCount() == 5)
        _ = try await engine.createModel(addresses: [Self.bob])
        // A deleted model frees its slot.
        _ = try await engine.workflow.delete(ids[0])
        _ = try await engine.createModel(addresses: [Self.alice])
        #expect(await Self.refusal { _ = try await engine.createModel(addresses: [Self.alice]) }?.code == .resourceExhausted)
    }

    @Test("the caller's address counts like an address_list entry; without any address nothing is counted")
    func callerCounts() async throws {
        let engine = try InMemoryEngine(trainer: TextLabelTrainer())
        defer { engine.stop() }
        for _ in 0..<3 { _ = try await engine.createModel(caller: Self.carol) }
        for _ in 0..<2 { _ = try await engine.createModel(addresses: [Self.carol.uppercased().replacing("0X", with: "0x")]) }
        #expect(await Self.refusal { _ = try await engine.createModel(caller: Self.carol) }?.code == .resourceExhausted)
        #expect(await Self.refusal { _ = try await engine.createModel(caller: Self.carol, addresses: [Self.bob]) }?.code == .resourceExhausted)
        // Without any address there is nobody to count against: not enforceable, so allowed.
        for _ in 0..<6 { _ = try await engine.createModel() }
    }

    @Test("the configuration can replace the method's quota; 0 means none", arguments: [(UInt64(2), 2), (0, 8)])
    func configuredQuota(limit: UInt64, allowed: Int) async throws {
        var policies = MethodPolicies.defaults
        policies[InMemoryEngine.method.name].maxModelsPerUser = limit
        let engine = try InMemoryEngine(trainer: TextLabelTrainer(), policies: policies)
        defer { engine.stop() }
        for _ in 0..<allowed { _ = try await engine.createModel(addresses: [Self.alice]) }
        if limit > 0 {
            let full = await Self.refusal { _ = try await engine.createModel(addresses: [Self.alice]) }
            #expect(full?.code == .resourceExhausted)
            #expect(full?.message.contains("max_models_per_user = \(limit)") == true, "\(full?.message ?? "")")
        }
    }

    @Test("server-wide cap on live models: RESOURCE_EXHAUSTED at the cap, room again after a delete")
    func liveModelCap() async throws {
        var limits = ServerLimits.defaults
        limits.maxLiveModels = 3
        let engine = try InMemoryEngine(trainer: TextLabelTrainer(), limits: limits)
        defer { engine.stop() }
        let first = try await engine.createModel()
        _ = try await engine.createModel(addresses: [Self.alice])
        _ = try await engine.createModel(addresses: [Self.bob])
        let full = await Self.refusal { _ = try await engine.createModel(addresses: [Self.carol]) }
        #expect(full?.code == .resourceExhausted && full?.message.contains("(3)") == true, "\(full?.message ?? "")")
        _ = try await engine.workflow.delete(first)
        _ = try await engine.createModel(addresses: [Self.carol])
    }

    @Test("server-wide cap on pending jobs: train, upload and validate are refused while the queue is full, and change nothing")
    func pendingJobCap() async throws {
        let scratch = try ScratchDirectory()
        let archive = scratch.file("texts.zip")
        try ArchiveBuilder.textDataset(at: archive)
        var limits = ServerLimits.defaults
        limits.maxPendingJobs = 1
        let events = TrainerEvents()
        // Training holds its job until the test is done: the job is pending as long as it runs.
        let engine = try InMemoryEngine(trainer: TextLabelTrainer(trainingDelay: .seconds(3600), events: events), limits: limits)
        defer { engine.stop() }
        let busy = try await engine.validatedModel(archive)
        let waiting = try await engine.validatedModel(archive)
        #expect(try await engine.workflow.train(busy) == .training)
        #expect(try await events.wait(for: .started, timeout: .seconds(30)))

        let train = await Self.refusal { _ = try await engine.workflow.train(waiting) }
        #expect(train?.code == .resourceExhausted)
        #expect(train?.message.contains("(1)") == true && train?.message.contains("Try again") == true, "\(train?.message ?? "")")
        #expect(await Self.refusal { _ = try await engine.upload(archive, to: waiting) }?.code == .resourceExhausted)
        #expect(await Self.refusal { _ = try await engine.workflow.validate(waiting, link: "") }?.code == .resourceExhausted)
        #expect(try await engine.workflow.status(of: waiting).status == .validated)

        // The running job ends (deleted here, so the test need not wait for it): room again.
        _ = try await engine.workflow.delete(busy)
        #expect(try await events.wait(for: .cancelled, timeout: .seconds(30)))
        _ = try await engine.registry.changes.read(until: { $0 == 0 }, timeout: .seconds(30)) { try await engine.registry.pendingJobCount() }
        #expect(try await engine.workflow.train(waiting) == .training)
    }

    @Test("the default model id cannot be deleted, trained, validated, uploaded to or priced, and never counts towards a quota")
    func defaultModel() async throws {
        let scratch = try ScratchDirectory()
        let archive = scratch.file("texts.zip")
        try ArchiveBuilder.textDataset(at: archive)
        var policies = MethodPolicies.defaults
        policies[InMemoryEngine.method.name].maxModelsPerUser = 1
        let engine = try InMemoryEngine(trainer: TextLabelTrainer(), policies: policies)
        defer { engine.stop() }
        let calls: [(String, () async throws -> Void)] = [
            ("delete", { _ = try await engine.workflow.delete("default") }),
            ("train", { _ = try await engine.workflow.train("default") }),
            ("validate", { _ = try await engine.workflow.validate("default", link: "") }),
            ("upload", { _ = try await engine.upload(archive, to: "default") }),
            ("price", { _ = try await engine.workflow.trainingPrice(of: "default") }),
        ]
        for (call, body) in calls {
            let refusal = await Self.refusal(body)
            #expect(refusal?.code == .failedPrecondition, "\(call)")
            #expect(refusal?.message.contains("default model") == true && refusal?.message.contains(call) == true, "\(call): \(refusal?.message ?? "")")
        }
        // Still there for everyone, and Alice's one model is still free to create.
        let endpoint = engine.endpoint(trainer: TextLabelTrainer(), defaultModel: .init(wordCounts: ["default": [:]]))
        #expect(try await endpoint.model(for: "default", caller: InferenceCaller(address: Self.alice)).label(for: "x") == "default")
        _ = try await engine.createModel(addresses: [Self.alice])
        #expect(await Self.refusal { _ = try await engine.createModel(addresses: [Self.alice]) }?.code == .resourceExhausted)
    }
}
