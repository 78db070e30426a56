public import GRPCCore
public import HealthProto
import SwiftProtobuf

/// `grpc.health.v1.Health` over ``HealthStatus``: SERVING, or NOT_SERVING while the node drains
/// for shutdown or cannot reach its registry. The empty service name asks about the whole server;
/// every service the server hosts answers the same (they share the node and its registry); any
/// other name is NOT_FOUND for `Check` and SERVICE_UNKNOWN for `Watch`, as the protocol says.
public struct HealthService: Grpc_Health_V1_Health.SimpleServiceProtocol {
    private let status: HealthStatus
    private let services: Set<String>

    /// `services`: the fully qualified names of the services on the same server.
    public init(status: HealthStatus, services: Set<String>) {
        self.status = status
        self.services = services.union(["", Grpc_Health_V1_Health.descriptor.fullyQualifiedService])
    }

    public func check(
        request: Grpc_Health_V1_HealthCheckRequest,
        context: ServerContext
    ) async throws -> Grpc_Health_V1_HealthCheckResponse {
        guard services.contains(request.service) else {
            throw RPCError(code: .notFound, message: "'\(request.service)' is not a service of this server; ask about '' for the whole server.")
        }
        return .with { $0.status = status.isServing ? .serving : .notServing }
    }

    public func watch(
        request: Grpc_Health_V1_HealthCheckRequest,
        response: RPCWriter<Grpc_Health_V1_HealthCheckResponse>,
        context: ServerContext
    ) async throws {
        guard services.contains(request.service) else {
            // The protocol keeps the stream open for a service that may appear later; this server's
            // services are fixed, so say so once and end.
            try await response.write(.with { $0.status = .serviceUnknown })
            return
        }
        for await serving in status.changes() {
            try await response.write(.with { $0.status = serving ? .serving : .notServing })
        }
    }
}
