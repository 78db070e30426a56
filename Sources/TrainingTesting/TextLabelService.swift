public import ExampleServiceProto
public import Foundation
import SwiftProtobuf
import TrainingProto
public import GRPCCore
public import Logging
public import SNETTraining

/// `service.ExampleService` served by ``TextLabelTrainer`` instead of speech: the same protos and
/// trainable method, so framework tests exercise the real wire path without audio.
/// `stt` reads `speech` as UTF-8 text and answers its label; `basic_stt` answers "default".
public struct TextLabelService: Service_ExampleService.SimpleServiceProtocol {
    let endpoint: TrainableEndpoint<TextLabelTrainer>

    public func stt(request: Service_sttInput, context: ServerContext) async throws -> Service_sttResp {
        let model = try await endpoint.model(for: request.modelID.modelID)
        var response = Service_sttResp()
        response.result = model.label(for: String(decoding: request.speech, as: UTF8.self))
        return response
    }

    public func basic_stt(request: Service_basicSttInput, context: ServerContext) async throws -> Service_sttResp {
        var response = Service_sttResp()
        response.result = "default"
        return response
    }

    /// The example service's descriptor set with `stt` declaring text datasets (`dataset_files_type =
    /// "txt"`) of at most 2 MiB instead of WAV clips: the same method and wire format, different
    /// declared limits (small enough for tests to cross them cheaply).
    public static var descriptorSet: Data {
        var set = try! Google_Protobuf_FileDescriptorSet(
            serializedBytes: Data(base64Encoded: exampleServiceDescriptorSetBase64)!,
            extensions: Training_Training_Extensions
        )
        for file in set.file.indices {
            for service in set.file[file].service.indices {
                for method in set.file[file].service[service].method.indices
                where set.file[file].service[service].method[method].name == "stt" {
                    set.file[file].service[service].method[method].options.Training_datasetFilesType = "txt"
                    set.file[file].service[service].method[method].options.Training_datasetMaxSizeMb = 2
                }
            }
        }
        return try! set.serializedData()
    }

    /// A server of this service over `configuration`.
    public static func makeServer(
        configuration: TrainingServerConfiguration,
        logger: Logger,
        trainer: TextLabelTrainer = TextLabelTrainer()
    ) async throws -> TrainingServer {
        let training = try await TrainingService.open(descriptorSet: Self.descriptorSet, configuration: configuration, logger: logger)
        let defaultModel = TextLabelTrainer.Model(wordCounts: ["default": [:]])
        let endpoint = try training.endpoint(service: "service.ExampleService", method: "stt", trainer: trainer, defaultModel: defaultModel)
        return try training.makeServer(services: [TextLabelService(endpoint: endpoint)])
    }
}
