import Foundation
import GRPCCore
import ReflectionProto
import SwiftProtobuf
import Testing
import TrainingClient
import TrainingProto
import TrainingTesting

/// The library's gRPC server reflection, both versions, over HTTP/2 against a real server.
@Suite("Server reflection")
struct ReflectionTests {
    typealias Request = Grpc_Reflection_V1_ServerReflectionRequest
    typealias Response = Grpc_Reflection_V1_ServerReflectionResponse

    /// Sends `requests` on one v1 stream (or on v1alpha, converted on the wire), returns the answers.
    func ask(_ requests: [Request], alpha: Bool, client: GRPCClient<some ClientTransport>) async throws -> [Response] {
        if alpha {
            let converted = try requests.map { try Grpc_Reflection_V1alpha_ServerReflectionRequest(serializedBytes: try $0.serializedBytes() as [UInt8]) }
            let answers = try await Grpc_Reflection_V1alpha_ServerReflection.Client(wrapping: client).serverReflectionInfo(
                requestProducer: { writer in try await writer.write(contentsOf: converted) },
                onResponse: { response in
                    var all: [Grpc_Reflection_V1alpha_ServerReflectionResponse] = []
                    for try await message in response.messages { all.append(message) }
                    return all
                }
            )
            return try answers.map { try Response(serializedBytes: try $0.serializedBytes() as [UInt8]) }
        }
        return try await Grpc_Reflection_V1_ServerReflection.Client(wrapping: client).serverReflectionInfo(
            requestProducer: { writer in try await writer.write(contentsOf: requests) },
            onResponse: { response in
                var all: [Response] = []
                for try await message in response.messages { all.append(message) }
                return all
            }
        )
    }

    @Test("list_services names training.Model, service.ExampleService and reflection itself", arguments: [false, true])
    func listServices(alpha: Bool) async throws {
        try await withTextServer { server in
            try await server.withClient { client in
                let answers = try await ask(
                    [
                        .with {
                            $0.listServices = "*"; $0.host = "h"
                        }
                    ], alpha: alpha, client: client)
                let names = answers.first?.listServicesResponse.service.map(\.name) ?? []
                #expect(
                    Set(names).isSuperset(of: [
                        "training.Model", "service.ExampleService", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection",
                    ]))
                #expect(answers.first?.validHost == "h")
                #expect(answers.first?.originalRequest.listServices == "*")
            }
        }
    }

    @Test("file_containing_symbol gives service.proto with its training options, then its imports", arguments: [false, true])
    func fileContainingSymbol(alpha: Bool) async throws {
        try await withTextServer { server in
            try await server.withClient { client in
                for symbol in ["service.ExampleService", "service.ExampleService.stt", "service.sttInput"] {
                    let answers = try await ask([.with { $0.fileContainingSymbol = symbol }], alpha: alpha, client: client)
                    let files = try (answers.first?.fileDescriptorResponse.fileDescriptorProto ?? []).map {
                        try Google_Protobuf_FileDescriptorProto(serializedBytes: $0, extensions: Training_Training_Extensions)
                    }
                    #expect(files.map(\.name) == ["service.proto", "training.proto", "google/protobuf/descriptor.proto"], "\(symbol)")
                    let stt = files.first?.service.first?.method.first { $0.name == "stt" }
                    #expect(stt?.options.Training_datasetFilesType == "txt")
                    // Byte for byte the options the server was built with.
                    let served: [UInt8]? = try stt?.options.serializedBytes()
                    let declared: [UInt8] = try textSTTOptions.serializedBytes()
                    #expect(served == declared)
                    #expect(stt?.options.Training_defaultModelID == "default")
                }
            }
        }
    }

    @Test("file_by_filename, extensions, and NOT_FOUND errors that keep the stream open")
    func otherRequests() async throws {
        try await withTextServer { server in
            try await server.withClient { client in
                let answers = try await ask(
                    [
                        .with { $0.fileByFilename = "training.proto" },
                        .with { $0.fileByFilename = "nope.proto" },
                        .with { $0.fileContainingSymbol = "training.Nope" },
                        .with { $0.allExtensionNumbersOfType = "google.protobuf.MethodOptions" },
                        .with {
                            $0.fileContainingExtension = .with {
                                $0.containingType = "google.protobuf.MethodOptions"; $0.extensionNumber = 50003
                            }
                        },
                        .with {
                            $0.fileContainingExtension = .with {
                                $0.containingType = "google.protobuf.MethodOptions"; $0.extensionNumber = 1
                            }
                        },
                        .with { $0.allExtensionNumbersOfType = "nope.Type" },
                        .with { $0.fileContainingSymbol = "training.Status.READY_TO_USE" },
                    ],
                    alpha: false, client: client
                )
                #expect(answers.count == 8)
                let first = try Google_Protobuf_FileDescriptorProto(serializedBytes: answers[0].fileDescriptorResponse.fileDescriptorProto[0])
                #expect(first.name == "training.proto")
                for index in [1, 2, 5, 6] {
                    #expect(answers[index].errorResponse.errorCode == Int32(RPCError.Code.notFound.rawValue), "answer \(index)")
                    #expect(!answers[index].errorResponse.errorMessage.isEmpty)
                }
                #expect(answers[3].allExtensionNumbersResponse.extensionNumber == Array(50001...50008))
                #expect(answers[3].allExtensionNumbersResponse.baseTypeName == "google.protobuf.MethodOptions")
                let extensionFile = try Google_Protobuf_FileDescriptorProto(serializedBytes: answers[4].fileDescriptorResponse.fileDescriptorProto[0])
                #expect(extensionFile.name == "training.proto")
                // Enum values are scoped beside their enum (training.READY_TO_USE), so this is unknown…
                #expect(answers[7].errorResponse.errorCode == Int32(RPCError.Code.notFound.rawValue))
            }
        }
    }

    @Test("ReflectionReader reads the served services and their files (the client side of inspect)")
    func reader() async throws {
        try await withTextServer { server in
            try await server.withClient { client in
                let (descriptors, version) = try await ReflectionReader(wrapping: client).descriptors()
                #expect(version == .v1)
                #expect(descriptors.services.sorted() == ["service.ExampleService", "training.Model"])
                let alpha = try await ReflectionReader(wrapping: client).descriptors(version: .v1alpha)
                #expect(alpha.files.map(\.name).sorted() == descriptors.files.map(\.name).sorted())
                let published = PublishedTraining(descriptors)
                #expect(published.methods.map(\.fullName) == ["service.ExampleService/stt"])
            }
        }
    }
}
