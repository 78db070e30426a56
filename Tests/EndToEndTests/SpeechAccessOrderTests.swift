import ExampleServiceProto
import Foundation
import GRPCCore
import SNETTraining
import STTService
import SwiftProtobuf
import Testing
import TrainingProto
import TrainingTesting

/// stt answers who may use a model before it looks at the clip, so a request with only a model id
/// (what `snet-train create` sends to find out whether anyone can use a new model) reaches the
/// access check under restricted access instead of stopping at "speech is empty".
@Suite("stt checks access before the clip")
struct SpeechAccessOrderTests {
    @Test("restricted access: a model nobody may use is NOT_FOUND even with an empty clip; the default model still refuses the empty clip")
    func accessFirst() async throws {
        let server = try await LiveTrainingServer.start(configure: { $0.policies.fallback.access = .restricted }) { configuration, logger in
            try await STTServer.make(configuration: configuration, defaultDataset: SpeechServiceTests.defaultDataset, logger: logger)
        }
        defer { server.removeData() }
        try await server.withClient { grpc in
            let models = Training_Model.Client(wrapping: grpc)
            let id = try await models.create_model(
                .with {
                    $0.grpcServiceName = "service.ExampleService"
                    $0.grpcMethodName = "stt"
                    $0.name = "nobody's"
                }
            ).modelID
            let service = Service_ExampleService.Client(wrapping: grpc)
            await expectRPCError(.notFound) { _ = try await service.stt(.with { $0.modelID.modelID = id }) }
            await expectRPCError(.invalidArgument) { _ = try await service.stt(.with { $0.modelID.modelID = "default" }) }
        }
        try await server.stop()
    }
}
