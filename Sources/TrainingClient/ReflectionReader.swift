import Foundation
public import GRPCCore
import ReflectionProto
import SwiftProtobuf

/// Reads a running server's protos through gRPC server reflection: the services it lists and the
/// files (with their imports) that define them. Speaks `grpc.reflection.v1` and falls back to
/// `v1alpha` when the server has only that one.
public struct ReflectionReader<Transport: ClientTransport>: Sendable {
    private let grpcClient: GRPCClient<Transport>

    public init(wrapping grpcClient: GRPCClient<Transport>) {
        self.grpcClient = grpcClient
    }

    /// Which reflection version answered.
    public enum Version: String, Sendable {
        case v1
        case v1alpha
    }

    /// The served services (without the reflection service itself) and every file describing them.
    /// Throws `RPCError` UNIMPLEMENTED when the server has no reflection at all.
    public func descriptors() async throws -> (descriptors: ServiceDescriptors, version: Version) {
        do {
            return (try await descriptors(version: .v1), .v1)
        } catch let error as RPCError where error.code == .unimplemented {
            return (try await descriptors(version: .v1alpha), .v1alpha)
        }
    }

    /// Asks one version: `list_services`, then `file_containing_symbol` for each service.
    public func descriptors(version: Version) async throws -> ServiceDescriptors {
        let listing = try await exchange([.with { $0.listServices = "" }], version: version)
        let services = try listing.flatMap { response -> [String] in
            try Self.check(response)
            return response.listServicesResponse.service.map(\.name)
        }
        .filter { !$0.hasPrefix("grpc.reflection.") }
        let answers = try await exchange(services.map { name in .with { $0.fileContainingSymbol = name } }, version: version)
        var files: [Data] = []
        for answer in answers {
            try Self.check(answer)
            files += answer.fileDescriptorResponse.fileDescriptorProto
        }
        return try ServiceDescriptors(serializedFiles: files, services: services)
    }

    /// Sends `requests` on one stream and collects one response per request.
    func exchange(
        _ requests: [Grpc_Reflection_V1_ServerReflectionRequest],
        version: Version
    ) async throws -> [Grpc_Reflection_V1_ServerReflectionResponse] {
        switch version {
        case .v1:
            return try await Grpc_Reflection_V1_ServerReflection.Client(wrapping: grpcClient).serverReflectionInfo(
                requestProducer: { writer in try await writer.write(contentsOf: requests) },
                onResponse: { response in try await Array(response.messages) }
            )
        case .v1alpha:
            // The two versions are the same messages under two package names: convert on the wire encoding.
            let alpha = try requests.map { try Grpc_Reflection_V1alpha_ServerReflectionRequest(serializedBytes: try $0.serializedBytes() as [UInt8]) }
            let answers = try await Grpc_Reflection_V1alpha_ServerReflection.Client(wrapping: grpcClient).serverReflectionInfo(
                requestProducer: { writer in try await writer.write(contentsOf: alpha) },
                onResponse: { response in try await Array(response.messages) }
            )
            return try answers.map { try Grpc_Reflection_V1_ServerReflectionResponse(serializedBytes: try $0.serializedBytes() as [UInt8]) }
        }
    }

    private static func check(_ response: Grpc_Reflection_V1_ServerReflectionResponse) throws {
        if case .errorResponse(let error)? = response.messageResponse {
            throw RPCError(
                code: Status.Code(rawValue: Int(error.errorCode)).flatMap(RPCError.Code.init) ?? .unknown,
                message: "Server reflection: \(error.errorMessage)"
            )
        }
    }
}

extension Array {
    init<S: AsyncSequence>(_ sequence: S) async throws where S.Element == Element {
        self = []
        for try await element in sequence { append(element) }
    }
}
