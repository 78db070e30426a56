import GRPCCore

/// The canonical gRPC status names (`NOT_FOUND`), as grpcurl, the daemon's logs and Prometheus
/// conventions spell them; GRPCCore only offers camel case.
enum StatusCodeName {
    private static let names = [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
        "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
        "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
    ]

    static func of(_ code: RPCError.Code) -> String {
        names.indices.contains(code.rawValue) ? names[code.rawValue] : "UNKNOWN"
    }

    /// The status an error ends its RPC with, as the server maps it.
    static func of(_ error: any Error) -> String {
        if let error = error as? RPCError { return of(error.code) }
        if let error = error as? any RPCErrorConvertible { return of(error.rpcErrorCode) }
        return "UNKNOWN"
    }
}
