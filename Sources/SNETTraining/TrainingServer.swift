import GRPCCore
import GRPCNIOTransportHTTP2Posix
import Logging
public import ServiceLifecycle
import TrainingJobs

/// The running service: the gRPC server and the job runner, as one `Service` for a `ServiceGroup`.
/// Graceful shutdown stops accepting calls, lets running calls finish, and cancels running jobs
/// (they are re-queued when the service starts again).
public final class TrainingServer: Service {
    private let grpcServer: GRPCServer<HTTP2ServerTransport.Posix>
    private let transport: HTTP2ServerTransport.Posix
    private let runner: JobRunner
    private let onShutdown: @Sendable () async -> Void
    private let logger: Logger

    init(
        configuration: TrainingServerConfiguration,
        services: [any RegistrableRPCService],
        runner: JobRunner,
        onShutdown: @escaping @Sendable () async -> Void,
        logger: Logger
    ) {
        let transport = HTTP2ServerTransport.Posix(
            address: .ipv4(host: configuration.host, port: configuration.port),
            transportSecurity: .plaintext,
            config: .defaults {
                $0.rpc.maxRequestPayloadSize = configuration.maxRequestMessageBytes
                $0.http2.targetWindowSize = configuration.http2.targetWindowSize
                $0.http2.maxFrameSize = configuration.http2.maxFrameSize
            }
        )
        self.transport = transport
        self.grpcServer = GRPCServer(transport: transport, services: services)
        self.runner = runner
        self.onShutdown = onShutdown
        self.logger = logger
    }

    /// The port the server is bound to, once it is listening (useful with port 0).
    public func listeningPort() async throws -> Int {
        guard let address = try await transport.listeningAddress.ipv4 else {
            throw RPCError(code: .internalError, message: "The server is not listening on an IPv4 address.")
        }
        return address.port
    }

    public func run() async throws {
        defer { logger.info("training server stopped") }
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await self.runner.run() }
            group.addTask {
                try await withGracefulShutdownHandler {
                    try await self.grpcServer.serve()
                } onGracefulShutdown: {
                    self.grpcServer.beginGracefulShutdown()
                }
            }
            group.addTask {
                let port = try await self.listeningPort()
                self.logger.info("training server listening", metadata: ["port": "\(port)"])
            }
        }
        await onShutdown()
    }
}
