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
public struct TextLabelService: Service_ExampleService.ServiceProtocol {
    let endpoint: InferenceEndpoint<TextLabelTrainer>

    public func stt(request: ServerRequest<Service_sttInput>, context: ServerContext) async throws -> ServerResponse<Service_sttResp> {
        let text = String(decoding: request.message.speech, as: UTF8.self)
        var response = Service_sttResp()
        // Through the method's bounded inference, as the real service does.
        response.result = try await endpoint.infer(modelID: request.message.modelID.modelID, metadata: request.metadata) { model in
            model.label(for: text)
        }
        return ServerResponse(message: response)
    }

    public func basic_stt(request: ServerRequest<Service_basicSttInput>, context: ServerContext) async throws -> ServerResponse<Service_sttResp> {
        var response = Service_sttResp()
        response.result = "default"
        return ServerResponse(message: response)
    }

    /// The example service's descriptor set with `stt` declaring text datasets (`dataset_files_type =
    /// "txt"`) of at most 2 MiB instead of WAV clips: the same method and wire format, different
    /// declared limits (small enough for tests to cross them cheaply).
    public static var descriptorSet: Data { descriptorSet(maxDatasetMB: 2) }

    /// The same, with `dataset_max_size_mb` set to `maxDatasetMB` (0: no limit).
    public static func descriptorSet(maxDatasetMB: UInt64) -> Data {
        var set = try! Google_Protobuf_FileDescriptorSet(
            serializedBytes: Data(base64Encoded: exampleServiceDescriptorSetBase64)!,
            extensions: Training_Training_Extensions
        )
        for file in set.file.indices {
            for service in set.file[file].service.indices {
                for method in set.file[file].service[service].method.indices
                where set.file[file].service[service].method[method].name == "stt" {
                    set.file[file].service[service].method[method].options.Training_datasetFilesType = "txt"
                    set.file[file].service[service].method[method].options.Training_datasetMaxSizeMb = maxDatasetMB
                }
            }
        }
        return try! set.serializedData()
    }

    /// A server of this service over `configuration`.
    public static func makeServer(
        configuration: TrainingServerConfiguration,
        logger: Logger,
        trainer: TextLabelTrainer = TextLabelTrainer(),
        maxDatasetMB: UInt64 = 2
    ) async throws -> TrainingServer {
        let training = try await TrainingServerBuilder.open(
            descriptorSet: Self.descriptorSet(maxDatasetMB: maxDatasetMB), configuration: configuration, logger: logger)
        let defaultModel = TextLabelTrainer.Model(wordCounts: ["default": [:]])
        let endpoint = try training.endpoint(service: "service.ExampleService", method: "stt", trainer: trainer, defaultModel: defaultModel)
        return try training.makeServer(services: [TextLabelService(endpoint: endpoint)])
    }
}
