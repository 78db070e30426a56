import Foundation
import GRPCCore
import ReflectionProto
import SwiftProtobuf

/// Answers server reflection requests (grpc.reflection.v1 messages) from a ``DescriptorIndex``.
/// Unknown files, symbols and extensions are answered with an `error_response` (NOT_FOUND), not by
/// failing the stream, as the protocol requires: one bad question must not end a client's session.
struct ReflectionResponder: Sendable {
    let index: DescriptorIndex

    func answer(_ request: Grpc_Reflection_V1_ServerReflectionRequest) -> Grpc_Reflection_V1_ServerReflectionResponse {
        var response = Grpc_Reflection_V1_ServerReflectionResponse()
        response.validHost = request.host
        response.originalRequest = request
        response.messageResponse = body(for: request.messageRequest)
        return response
    }

    private typealias Body = Grpc_Reflection_V1_ServerReflectionResponse.OneOf_MessageResponse

    private func body(for request: Grpc_Reflection_V1_ServerReflectionRequest.OneOf_MessageRequest?) -> Body {
        switch request {
        case .fileByFilename(let name):
            return files(index.fileWithDependencies(name), missing: "No file named '\(name)' is known to this server.")
        case .fileContainingSymbol(let symbol):
            let name = symbol.hasPrefix(".") ? String(symbol.dropFirst()) : symbol
            return files(
                index.symbols[name].flatMap(index.fileWithDependencies),
                missing: "No symbol named '\(symbol)' is known to this server. Use a fully-qualified name such as package.Service."
            )
        case .fileContainingExtension(let request):
            let key = DescriptorIndex.ExtensionKey(extendee: request.containingType, number: request.extensionNumber)
            return files(
                index.extensions[key].flatMap(index.fileWithDependencies),
                missing: "No extension \(request.extensionNumber) of '\(request.containingType)' is known to this server."
            )
        case .allExtensionNumbersOfType(let type):
            guard index.isMessage(type) else {
                return error(.notFound, "No message type named '\(type)' is known to this server.")
            }
            var numbers = Grpc_Reflection_V1_ExtensionNumberResponse()
            numbers.baseTypeName = type
            numbers.extensionNumber = (index.extensionNumbers[type] ?? []).sorted()
            return .allExtensionNumbersResponse(numbers)
        case .listServices:
            var list = Grpc_Reflection_V1_ListServiceResponse()
            list.service = index.services.map { name in .with { $0.name = name } }
            return .listServicesResponse(list)
        case nil:
            return error(.unimplemented, "The request sets none of the reflection questions this server answers.")
        }
    }

    private func files(_ files: [Data]?, missing: String) -> Body {
        guard let files else { return error(.notFound, missing) }
        var response = Grpc_Reflection_V1_FileDescriptorResponse()
        response.fileDescriptorProto = files
        return .fileDescriptorResponse(response)
    }

    private func error(_ code: RPCError.Code, _ message: String) -> Body {
        var error = Grpc_Reflection_V1_ErrorResponse()
        error.errorCode = Int32(code.rawValue)
        error.errorMessage = message
        return .errorResponse(error)
    }
}
