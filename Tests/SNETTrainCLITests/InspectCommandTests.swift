import ExampleServiceProto
import Foundation
import GRPCCore
import SNETTraining
import SwiftProtobuf
import Testing
import TrainingProto
import TrainingTesting

/// `inspect` shows what the daemon would publish, read through server reflection, and warns about
/// a provider's mistakes.
@Suite("snet-train: inspect")
struct InspectCommandTests {
    @Test("a well-declared service: its trainable method and options, no warnings")
    func wellDeclared() async throws {
        try await withTextServer { server in
            let text = try await runCLI(["inspect"], port: server.port)
            #expect(text.exitCode == 0, "\(text.stderr)")
            #expect(text.stdout.contains("Services (reflection v1): service.ExampleService, training.Model"))
            #expect(text.stdout.contains("service.ExampleService/stt  (input service.sttInput, model id in field model_id)"))
            #expect(text.stdout.contains("  dataset_files_type: txt"))
            #expect(text.stdout.contains("  max_models_per_user: \(textSTTOptions.Training_maxModelsPerUser)"))
            #expect(text.stdout.contains("Warnings: none"))

            let json = try await runCLI(["inspect", "--json", "--strict"], port: server.port)
            #expect(json.exitCode == 0)
            let object = try json.json()
            #expect(object["trainingInProto"] as? Bool == true)
            #expect(object["trainingMethods"] as? [String: [String]] == ["service.ExampleService": ["stt"]])
            let method = try #require((object["methods"] as? [[String: Any]])?.first)
            #expect(method["datasetType"] as? String == "zip")
            #expect(method["datasetMaxSizeMB"] as? Int == Int(textSTTOptions.Training_datasetMaxSizeMb))
            #expect(method["defaultModelID"] as? String == "default")
            #expect((object["warnings"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("mistakes: no dataset limits, an unknown dataset type, a default model id nobody serves; --strict exits 8")
    func mistakes() async throws {
        let server = try await LiveTrainingServer.start { configuration, logger in
            let training = try await TrainingServerBuilder.open(descriptorSet: MisdeclaredService.descriptorSet, configuration: configuration, logger: logger)
            let endpoint = try training.endpoint(service: "service.ExampleService", method: "stt", trainer: TextLabelTrainer())
            return try training.makeServer(services: [MisdeclaredService(endpoint: endpoint)])
        }
        defer { server.removeData() }
        let run = try await runCLI(["inspect", "--strict", "--json"], port: server.port)
        try await server.stop()
        #expect(run.exitCode == 8, "\(run.stderr)")
        let warnings = try #require(try run.json()["warnings"] as? [String])
        #expect(warnings.contains { $0.contains("service.ExampleService/stt declares no dataset limits") })
        #expect(warnings.contains { $0.contains("dataset_type 'rar'") })
        #expect(warnings.contains { $0.contains("default_model_id 'missing' is not served") && $0.contains("FAILED_PRECONDITION") })
    }

    @Test("--proto-set reads the options from a file, without any server")
    func fromFile() async throws {
        let scratch = try ScratchDirectory()
        let file = scratch.file("service.protoset")
        try MisdeclaredService.descriptorSet.write(to: file)
        let run = try await runCLI(["inspect", "--proto-set", file.path(percentEncoded: false), "--endpoint", "127.0.0.1:1"], port: nil)
        #expect(run.exitCode == 0, "\(run.stderr)")
        #expect(run.stdout.contains("Services (file): service.ExampleService, training.Model"))
        #expect(run.stdout.contains("  dataset_type: rar"))
    }
}

/// The example service with a provider's typical mistakes in its options, served without a default model.
struct MisdeclaredService: Service_ExampleService.SimpleServiceProtocol {
    let endpoint: InferenceEndpoint<TextLabelTrainer>

    func stt(request: Service_sttInput, context: ServerContext) async throws -> Service_sttResp {
        let model = try await endpoint.model(for: request.modelID.modelID, metadata: [:])
        return .with { $0.result = model.label(for: String(decoding: request.speech, as: UTF8.self)) }
    }

    func basic_stt(request: Service_basicSttInput, context: ServerContext) async throws -> Service_sttResp {
        .with { $0.result = "default" }
    }

    static var descriptorSet: Data {
        var set = try! Google_Protobuf_FileDescriptorSet(
            serializedBytes: Data(base64Encoded: exampleServiceDescriptorSetBase64)!, extensions: Training_Training_Extensions
        )
        for file in set.file.indices {
            for service in set.file[file].service.indices {
                for method in set.file[file].service[service].method.indices where set.file[file].service[service].method[method].name == "stt" {
                    var options = set.file[file].service[service].method[method].options
                    options.Training_datasetMaxSizeMb = 0
                    options.Training_datasetMaxCountFiles = 0
                    options.Training_datasetMaxSizeSingleFileMb = 0
                    options.Training_datasetType = "rar"
                    options.Training_defaultModelID = "missing"
                    set.file[file].service[service].method[method].options = options
                }
            }
        }
        return try! set.serializedData()
    }
}
