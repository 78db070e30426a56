public import Foundation
public import GRPCCore
import ReflectionProto
import SwiftProtobuf

/// gRPC server reflection (`grpc.reflection.v1` and `grpc.reflection.v1alpha`) answered from the
/// service's descriptor set, so that grpcurl, Postman, Python's grpcio-reflection and
/// `snet-train inspect` can read the service's protos, and its `training.*` options, from a
/// running server. ``TrainingServerBuilder`` registers both on every server it makes.
///
/// ```swift
/// let server = GRPCServer(transport: transport, services: [myService] + (try ServerReflection.services(descriptorSet: data)))
/// ```
public enum ServerReflection {
    /// Both versions of the reflection service over `descriptorSet` (a serialized
    /// `google.protobuf.FileDescriptorSet`, `protoc --include_imports`), which also describe
    /// themselves.
    public static func services(descriptorSet: Data) throws -> [any RegistrableRPCService] {
        guard let own = Data(base64Encoded: reflectionDescriptorSetBase64) else {
            throw RPCError(code: .internalError, message: "The reflection protos' embedded descriptor set is not base64.")
        }
        let responder = ReflectionResponder(index: try DescriptorIndex(descriptorSets: [descriptorSet, own]))
        return [ReflectionServiceV1(responder: responder), ReflectionServiceV1Alpha(responder: responder)]
    }
}

struct ReflectionServiceV1: Grpc_Reflection_V1_ServerReflection.ServiceProtocol {
    let responder: ReflectionResponder

    func serverReflectionInfo(
        request: StreamingServerRequest<Grpc_Reflection_V1_ServerReflectionRequest>,
        context: ServerContext
    ) async throws -> StreamingServerResponse<Grpc_Reflection_V1_ServerReflectionResponse> {
        StreamingServerResponse { writer in
            for try await message in request.messages {
                try await writer.write(responder.answer(message))
            }
            return [:]
        }
    }
}

/// v1alpha is v1 under another package name, field for field: requests and responses are converted
/// through their (identical) wire encoding, so both versions always give the same answers.
struct ReflectionServiceV1Alpha: Grpc_Reflection_V1alpha_ServerReflection.ServiceProtocol {
    let responder: ReflectionResponder

    func serverReflectionInfo(
        request: StreamingServerRequest<Grpc_Reflection_V1alpha_ServerReflectionRequest>,
        context: ServerContext
    ) async throws -> StreamingServerResponse<Grpc_Reflection_V1alpha_ServerReflectionResponse> {
        StreamingServerResponse { writer in
            for try await message in request.messages {
                let question = try Grpc_Reflection_V1_ServerReflectionRequest(serializedBytes: try message.serializedBytes() as [UInt8])
                let answer = responder.answer(question)
                try await writer.write(
                    Grpc_Reflection_V1alpha_ServerReflectionResponse(serializedBytes: try answer.serializedBytes() as [UInt8])
                )
            }
            return [:]
        }
    }
}
