import ExampleServiceProto
public import Foundation
public import Logging
public import SNETTraining
import SpeechCommands

/// Builds the example service: `service.ExampleService` (stt, basic_stt) and `training.Model` on one port.
public enum STTServer {
    public static let serviceName = "service.ExampleService"

    /// The descriptor set compiled from Protos/service.proto (with training.proto).
    public static var descriptorSet: Data {
        Data(base64Encoded: exampleServiceDescriptorSetBase64)!
    }

    /// - Parameters:
    ///   - defaultDataset: the shipped `<word>/<clip>.wav` folder the default model is trained from.
    ///   - limits: the longest clip `stt` and `basic_stt` take, and a dataset may hold.
    public static func make(
        configuration: TrainingServerConfiguration,
        defaultDataset: URL,
        limits: SpeechLimits = .defaults,
        logger: Logger
    ) async throws -> TrainingServer {
        let training = try await TrainingServerBuilder.open(descriptorSet: descriptorSet, configuration: configuration, logger: logger)
        let defaultModel = try await DefaultSpeechModel.load(
            dataset: defaultDataset, cacheDirectory: configuration.dataDirectory, logger: logger
        )
        let stt = try training.endpoint(service: serviceName, method: "stt", trainer: SpeechTrainer(limits: limits), defaultModel: defaultModel)
        return try training.makeServer(services: [ExampleServiceHandler(stt: stt, defaultModel: defaultModel, limits: limits)])
    }
}
