import ExampleServiceProto
import Foundation
import GRPCCore
import SNETTraining
import SwiftProtobuf
import Testing
import TrainingProto
import TrainingTesting

@Suite("Pricing policies per method, over gRPC")
struct PricingTests {
    static let stt = MethodName(service: "service.ExampleService", method: "stt")

    @Test("flat pricing: the configured cogs for each call; 1 cog each by default")
    func flat() async throws {
        let server = try await startTextServer {
            $0.policies[Self.stt].pricing = FlatPricing(validationCogs: 7, trainingCogs: 11)
        }
        defer { server.removeData() }
        try await server.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            let id = try await client.createModel()
            #expect(try await client.validationPrice(id) == 7)
            #expect(try await client.trainingPrice(id) == 11)
        }
        try await server.stop()
    }

    @Test(
        "dataset pricing: validation at the declared limits before upload, training on the validated dataset; larger costs more"
    )
    func datasetBased() async throws {
        let scratch = try ScratchDirectory()
        let pricing = DatasetPricing(
            validation: .init(base: 100, perMebibyte: 10, perFile: 1),
            training: .init(base: 1_000, perMebibyte: 200, perFile: 3)
        )
        let server = try await startTextServer { $0.policies[Self.stt].pricing = pricing }
        defer { server.removeData() }
        let small = scratch.url.appending(path: "small.zip")
        try textArchive(at: small, filesPerLabel: 2, bytesPerFile: 100)  // 4 files, 400 bytes: 1 MiB started
        let large = scratch.url.appending(path: "large.zip")
        try textArchive(at: large, filesPerLabel: 5, bytesPerFile: 150_000)  // 10 files, 1 500 000 bytes: 2 MiB started

        try await server.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            let id = try await client.createModel()
            // The text service declares 2 MiB and 5000 files: the most the upload can be.
            #expect(try await client.validationPrice(id) == 100 + 2 * 10 + 5_000)
            // Before any validation, training is priced like validation: at the declared limits.
            #expect(try await client.trainingPrice(id) == 1_000 + 2 * 200 + 5_000 * 3)

            _ = try await SDKUpload.upload(file: small, modelID: id, client: client)
            #expect(try await client.waitWhileBusy(id) == .validated)
            let smallPrice = try await client.trainingPrice(id)
            #expect(smallPrice == 1_000 + 1 * 200 + 4 * 3)
            // Re-uploading is priced before the new upload, so still at the declared limits.
            #expect(try await client.validationPrice(id) == 5_120)

            _ = try await SDKUpload.upload(file: large, modelID: id, client: client)
            #expect(try await client.waitWhileBusy(id) == .validated)
            let largePrice = try await client.trainingPrice(id)
            #expect(largePrice == 1_000 + 2 * 200 + 10 * 3)
            #expect(largePrice > smallPrice)
        }
        try await server.stop()
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
        let pricing = DatasetPricing(
            validation: .init(base: 5, minimum: minimum, maximum: maximum),
            training: .init(base: 1_000, perMebibyte: 200, perFile: 3, minimum: minimum, maximum: maximum)
        )
        let server = try await startTextServer { $0.policies[Self.stt].pricing = pricing }
        defer { server.removeData() }
        let archive = scratch.url.appending(path: "small.zip")
        try textArchive(at: archive, filesPerLabel: 2, bytesPerFile: 100)
        try await server.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            let id = try await client.validatedModel(archive: archive)
            #expect(try await client.trainingPrice(id) == expected)
            #expect(try await client.validationPrice(id) == min(max(5, minimum), maximum))
        }
        try await server.stop()
    }

    @Test("a training_data_link is priced at the declared limits without contacting its host")
    func linkPricing() async throws {
        let pricing = DatasetPricing(
            validation: .init(base: 100, perMebibyte: 10, perFile: 1),
            training: .init(base: 1_000, perMebibyte: 200, perFile: 3)
        )
        let http = try await LocalHTTPServer.start(routes: [
            "/sized.zip": .bytes(Data(repeating: 1, count: 300_000)),
            "/moved.zip": .redirect("/sized.zip"),
        ])
        let server = try await startTextServer {
            $0.policies[Self.stt].pricing = pricing
            $0.links.allowedHosts = ["127.0.0.1"]
        }
        defer { server.removeData() }
        try await server.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            let id = try await client.createModel()
            // Priced at the declared 2 MiB and 5000 files, whatever the link serves.
            #expect(try await client.validationPrice(id, link: http.url("/sized.zip")) == 100 + 2 * 10 + 5_000)
            #expect(try await client.validationPrice(id, link: http.url("/moved.zip")) == 100 + 2 * 10 + 5_000)
            let message = await expectRPCError(.invalidArgument) { _ = try await client.validationPrice(id, link: "ftp://example.com/d.zip") }
            #expect(message.contains("not supported"), "a link the service would refuse fails before the consumer pays")
        }
        #expect(http.requestsReceived.isEmpty, "pricing contacted the link's host: \(http.requestsReceived)")
        try await server.stop()
        try await http.stop()
    }

    @Test("rates that overflow a uint64 saturate at the maximum instead of wrapping to a small price")
    func overflow() async throws {
        let capped = DatasetPricing(
            validation: .init(base: 1, perMebibyte: .max, perFile: .max, maximum: 123_456_789),
            training: .init(base: .max, perMebibyte: .max, perFile: .max)
        )
        let server = try await startTextServer { $0.policies[Self.stt].pricing = capped }
        defer { server.removeData() }
        try await server.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            let id = try await client.createModel()
            #expect(try await client.validationPrice(id) == 123_456_789)
            #expect(try await client.trainingPrice(id) == UInt64.max)
        }
        try await server.stop()
    }

    @Test("methods without their own policy use the fallback; the default model and unknown ids are not priced")
    func fallbackAndRefusals() async throws {
        let server = try await startTextServer {
            $0.policies.fallback.pricing = FlatPricing(validationCogs: 3, trainingCogs: 4)
        }
        defer { server.removeData() }
        try await server.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            let id = try await client.createModel()
            #expect(try await client.validationPrice(id) == 3)
            #expect(try await client.trainingPrice(id) == 4)
            let message = await expectRPCError(.failedPrecondition) { _ = try await client.trainingPrice("default") }
            #expect(message.contains("default model"))
            await expectRPCError(.failedPrecondition) { _ = try await client.validationPrice("default") }
            await expectRPCError(.notFound) { _ = try await client.validationPrice("0123456789abcdef0123456789abcdef") }
            // A link the service would refuse fails the price call, before the consumer pays.
            await expectRPCError(.invalidArgument) {
                _ = try await client.validationPrice(id, link: "ftp://example.com/d.zip")
            }
            _ = try await client.delete(id)
            await expectRPCError(.notFound) { _ = try await client.trainingPrice(id) }
        }
        try await server.stop()
    }

    @Test("a provider's own PricingPolicy sees the validated dataset; its faults are INTERNAL without details")
    func custom() async throws {
        let scratch = try ScratchDirectory()
        let server = try await startTextServer { $0.policies[Self.stt].pricing = PerLabelPricing() }
        defer { server.removeData() }
        let archive = scratch.url.appending(path: "small.zip")
        try textArchive(at: archive, filesPerLabel: 3, bytesPerFile: 50)
        try await server.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            let id = try await client.createModel(name: "boom")
            let message = await expectRPCError(.internalError) { _ = try await client.validationPrice(id) }
            #expect(!message.contains("secret"))
            let validated = try await client.validatedModel(archive: archive)
            #expect(try await client.trainingPrice(validated) == 2 * 1_000 + 6)
            #expect(try await client.validationPrice(validated) == 42)
        }
        try await server.stop()
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
