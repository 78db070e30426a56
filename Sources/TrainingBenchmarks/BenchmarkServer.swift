import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import Logging
import SNETTraining
import STTService
import TrainingTesting

/// The servers benchmarks measure, each in a child process.
enum BenchmarkServerRole: String, Sendable {
    /// ``ConstantModelService`` on the same transport and settings: the ceiling.
    case constant
    /// The framework's server with the text trainer and no dataset size limit (uploads of any size).
    case training
    /// The example service, `stt-service`: real speech inference and training.
    case stt
}

/// The child-process side: runs the server, prints `PORT n`, exits when standard input closes.
enum BenchmarkServer {
    static func serve(_ arguments: ServerArguments) async throws -> Never {
        exitWhenInputCloses()
        let port: Int
        switch arguments.role {
        case .constant:
            port = try await startConstant(http2: arguments.http2)
        case .training:
            port = try await LiveTrainingServer.start(dataDirectory: arguments.dataDirectory, configure: { $0.http2 = arguments.http2 }) {
                configuration, logger in
                try await TextLabelService.makeServer(configuration: configuration, logger: logger, maxDatasetMB: 0)
            }.port
        case .stt:
            guard let dataset = arguments.dataset else { throw BenchmarkFailure("the stt server needs --dataset") }
            port = try await LiveTrainingServer.start(dataDirectory: arguments.dataDirectory, configure: { $0.http2 = arguments.http2 }) {
                configuration, logger in
                try await STTServer.make(configuration: configuration, defaultDataset: dataset, logger: logger)
            }.port
        }
        // Unbuffered, so the parent sees the line at once.
        FileHandle.standardOutput.write(Data("PORT \(port)\n".utf8))
        while true { try await Task.sleep(for: .seconds(3600)) }
    }

    /// The transport exactly as `TrainingServer` configures it, serving constants.
    private static func startConstant(http2: HTTP2Settings) async throws -> Int {
        let transport = HTTP2ServerTransport.Posix(
            address: .ipv4(host: "127.0.0.1", port: 0),
            transportSecurity: .plaintext,
            config: .defaults {
                $0.rpc.maxRequestPayloadSize = TrainingServerConfiguration.defaults.maxRequestMessageBytes
                $0.http2.targetWindowSize = http2.targetWindowSize
                $0.http2.maxFrameSize = http2.maxFrameSize
            }
        )
        let server = GRPCServer(transport: transport, services: [ConstantModelService()])
        Task { try await server.serve() }
        guard let address = try await transport.listeningAddress.ipv4 else {
            throw BenchmarkFailure("the constant server is not listening on IPv4")
        }
        return address.port
    }

    /// The parent holds the write end of our standard input; when it closes (the benchmark ended or
    /// died), so do we.
    private static func exitWhenInputCloses() {
        Thread.detachNewThread {
            var byte: UInt8 = 0
            while read(0, &byte, 1) > 0 {}
            exit(0)
        }
    }
}
