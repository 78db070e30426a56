import Foundation
import Testing
import TrainingCore
import TrainingDatasets
import TrainingEngine
import TrainingTesting

/// validate_model_price and train_model_price: each method's PricingPolicy, given what is known at
/// the time of each call, on the in-memory engine.
@Suite("Pricing policies per method")
struct PricingTests {
    static let stt = InMemoryEngine.method.name

    static func engine(_ configure: (inout MethodPolicies) -> Void, links: DatasetLinkPolicy = .defaults) throws -> InMemoryEngine {
        var policies = MethodPolicies.defaults
        configure(&policies)
        return try InMemoryEngine(trainer: TextLabelTrainer(), policies: policies, links: links)
    }

    @Test("flat pricing: the configured cogs for each call; 1 cog each by default")
    func flat() async throws {
        let engine = try Self.engine { $0[Self.stt].pricing = FlatPricing(validationCogs: 7, trainingCogs: 11) }
        defer { engine.stop() }
        let id = try await engine.createModel()
        #expect(try await engine.workflow.validationPrice(of: id) == 7)
        #expect(try await engine.workflow.trainingPrice(of: id) == 11)

        let defaults = try Self.engine { _ in }
        defer { defaults.stop() }
        let other = try await defaults.createModel()
        #expect(try await defaults.workflow.validationPrice(of: other) == 1)
        #expect(try await defaults.workflow.trainingPrice(of: other) == 1)
    }

    @Test("dataset pricing: validation at the declared limits before upload, training on the validated dataset; larger costs more")
    func datasetBased() async throws {
        let scratch = try ScratchDirectory()
        let engine = try Self.engine {
            $0[Self.stt].pricing = DatasetPricing(
                validation: .init(base: 100, perMebibyte: 10, perFile: 1),
                training: .init(base: 1_000, perMebibyte: 200, perFile: 3)
            )
        }
        defer { engine.stop() }
        let small = scratch.file("small.zip")
        try ArchiveBuilder.textDataset(at: small, filesPerLabel: 2, bytesPerFile: 100)  // 4 files, 400 bytes: 1 MiB started
        let large = scratch.file("large.zip")
        try ArchiveBuilder.textDataset(at: large, filesPerLabel: 5, bytesPerFile: 150_000)  // 10 files, 1 500 000 bytes: 2 MiB started

        let id = try await engine.createModel()
        // The method declares 10 MB and 100 files: the most the upload can be.
        #expect(try await engine.workflow.validationPrice(of: id) == 100 + 10 * 10 + 100)
        // Before any validation, training is priced like validation: at the declared limits.
        #expect(try await engine.workflow.trainingPrice(of: id) == 1_000 + 10 * 200 + 100 * 3)

        _ = try await engine.upload(small, to: id)
        #expect(try await engine.wait(id, until: [.validated, .errored]).status == .validated)
        let smallPrice = try await engine.workflow.trainingPrice(of: id)
        #expect(smallPrice == 1_000 + 1 * 200 + 4 * 3)
        // Re-uploading is priced before the new upload, so still at the declared limits.
        #expect(try await engine.workflow.validationPrice(of: id) == 300)

        _ = try await engine.upload(large, to: id)
        #expect(try await engine.wait(id, until: [.validated, .errored]).status == .validated)
        let largePrice = try await engine.workflow.trainingPrice(of: id)
        #expect(largePrice == 1_000 + 2 * 200 + 10 * 3)
        #expect(largePrice > smallPrice)
    }

    @Test(
        "minimum and maximum bound the price",
        arguments: [
            // (minimum, maximum, expected) for a 4-file, 1-MiB dataset whose raw price is 1 000 + 200 + 12 = 1 212
            (UInt64(0), UInt64.max, UInt64(1_212)),
            (5_000, .max, 5_000),
            (0, 1_212, 1_212),
            (0, 1_211, 1_211),
            (1_212, 1_212, 1_212),
            (9_000, 10, 10),  // contradictory bounds: the maximum wins (the configuration reader refuses them)
        ]
    )
    func bounds(minimum: UInt64, maximum: UInt64, expected: UInt64) async throws {
        let scratch = try ScratchDirectory()
        let engine = try Self.engine {
            $0[Self.stt].pricing = DatasetPricing(
                validation: .init(base: 5, minimum: minimum, maximum: maximum),
                training: .init(base: 1_000, perMebibyte: 200, perFile: 3, minimum: minimum, maximum: maximum)
            )
        }
        defer { engine.stop() }
        let archive = scratch.file("small.zip")
        try ArchiveBuilder.textDataset(at: archive, filesPerLabel: 2, bytesPerFile: 100)
        let id = try await engine.validatedModel(archive)
        #expect(try await engine.workflow.trainingPrice(of: id) == expected)
        #expect(try await engine.workflow.validationPrice(of: id) == min(max(5, minimum), maximum))
    }

    @Test("a training_data_link is priced at the declared limits without contacting its host")
    func linkPricing() async throws {
        let http = try await LocalHTTPServer.start(routes: [
            "/sized.zip": .bytes(Data(repeating: 1, count: 300_000)),
            "/moved.zip": .redirect("/sized.zip"),
        ])
        var links = DatasetLinkPolicy.defaults
        links.allowedHosts = ["127.0.0.1"]
        let engine = try Self.engine(
            {
                $0[Self.stt].pricing = DatasetPricing(
                    validation: .init(base: 100, perMebibyte: 10, perFile: 1), training: .init(base: 1_000, perMebibyte: 200, perFile: 3)
                )
            }, links: links)
        defer { engine.stop() }
        let id = try await engine.createModel()
        // Priced at the declared 10 MB and 100 files, whatever the link serves.
        #expect(try await engine.workflow.validationPrice(of: id, link: http.url("/sized.zip")) == 100 + 10 * 10 + 100)
        #expect(try await engine.workflow.validationPrice(of: id, link: http.url("/moved.zip")) == 100 + 10 * 10 + 100)
        let refused = await #expect(throws: TrainingError.self) { try await engine.workflow.validationPrice(of: id, link: "ftp://example.com/d.zip") }
        #expect(refused?.code == .invalidArgument)
        #expect(refused?.message.contains("not supported") == true, "a link the service would refuse fails before the consumer pays")
        #expect(http.requestsReceived.isEmpty, "pricing contacted the link's host: \(http.requestsReceived)")
        try await http.stop()
    }

    @Test("rates that overflow a uint64 saturate at the maximum instead of wrapping to a small price")
    func overflow() async throws {
        let engine = try Self.engine {
            $0[Self.stt].pricing = DatasetPricing(
                validation: .init(base: 1, perMebibyte: .max, perFile: .max, maximum: 123_456_789),
                training: .init(base: .max, perMebibyte: .max, perFile: .max)
            )
        }
        defer { engine.stop() }
        let id = try await engine.createModel()
        #expect(try await engine.workflow.validationPrice(of: id) == 123_456_789)
        #expect(try await engine.workflow.trainingPrice(of: id) == UInt64.max)
    }

    @Test("methods without their own policy use the fallback; the default model, unknown and deleted ids are not priced")
    func fallbackAndRefusals() async throws {
        let engine = try Self.engine { $0.fallback.pricing = FlatPricing(validationCogs: 3, trainingCogs: 4) }
        defer { engine.stop() }
        let id = try await engine.createModel()
        #expect(try await engine.workflow.validationPrice(of: id) == 3)
        #expect(try await engine.workflow.trainingPrice(of: id) == 4)
        let defaultModel = await #expect(throws: TrainingError.self) { try await engine.workflow.trainingPrice(of: "default") }
        #expect(defaultModel?.code == .failedPrecondition && defaultModel?.message.contains("default model") == true)
        let defaultValidation = await #expect(throws: TrainingError.self) { try await engine.workflow.validationPrice(of: "default") }
        #expect(defaultValidation?.code == .failedPrecondition)
        let unknown = await #expect(throws: TrainingError.self) { try await engine.workflow.validationPrice(of: "0123456789abcdef0123456789abcdef") }
        #expect(unknown?.code == .notFound)
        _ = try await engine.workflow.delete(id)
        let deleted = await #expect(throws: TrainingError.self) { try await engine.workflow.trainingPrice(of: id) }
        #expect(deleted?.code == .notFound)
    }

    @Test("a provider's own PricingPolicy sees the validated dataset; its faults are INTERNAL without details")
    func custom() async throws {
        let scratch = try ScratchDirectory()
        let engine = try Self.engine { $0[Self.stt].pricing = PerLabelPricing() }
        defer { engine.stop() }
        let archive = scratch.file("small.zip")
        try ArchiveBuilder.textDataset(at: archive, filesPerLabel: 3, bytesPerFile: 50)
        let boom = try await engine.createModel(name: "boom")
        let fault = await #expect(throws: TrainingError.self) { try await engine.workflow.validationPrice(of: boom) }
        #expect(fault?.code == .internalError)
        #expect(fault?.message.contains("secret") == false, "\(fault?.message ?? "")")
        let validated = try await engine.validatedModel(archive)
        #expect(try await engine.workflow.trainingPrice(of: validated) == 2 * 1_000 + 6)
        #expect(try await engine.workflow.validationPrice(of: validated) == 42)
    }
}

/// 1 000 cogs per label folder plus 1 per file; validation 42, and a failure for models named "boom".
struct PerLabelPricing: PricingPolicy {
    struct Fault: Error { let detail = "secret internal detail" }

    func validationPrice(_ request: ValidationPriceRequest) async throws -> UInt64 {
        if request.model.name == "boom" { throw Fault() }
        return 42
    }

    func trainingPrice(_ request: TrainingPriceRequest) async throws -> UInt64 {
        guard let directory = request.datasetDirectory, let dataset = request.dataset else { return 99_999 }
        let labels = try FileManager.default.contentsOfDirectory(atPath: directory.path(percentEncoded: false)).count
        return UInt64(labels) * 1_000 + dataset.fileCount
    }
}
