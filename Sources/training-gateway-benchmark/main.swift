import ExampleServiceProto
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import Logging
import SNETTraining
import ServiceLifecycle
import TrainingGateway
import TrainingProto
import TrainingTesting

// The gateway's forwarding overhead on a trainable unary call: calls per second through the
// gateway (model id read from the bytes, registry and access check, forwarded with the model's
// path) against calls per second straight to the provider with the same bytes and path, with the
// same number of concurrent callers, in one run. The provider answers at once, so this is the
// worst case: with a provider that does real work per call the ratio is closer to 1.
// Usage: swift run -c release training-gateway-benchmark [--callers 64] [--seconds 5]
let arguments = CommandLine.arguments
func option(_ name: String, _ fallback: Int) -> Int {
    arguments.firstIndex(of: name).flatMap { arguments.indices.contains($0 + 1) ? Int(arguments[$0 + 1]) : nil } ?? fallback
}
let callers = option("--callers", 64)
let duration = Duration.seconds(option("--seconds", 5))
var logger = Logger(label: "gateway-benchmark")
logger.logLevel = .error

let providerServer = GRPCServer(
    transport: HTTP2ServerTransport.Posix(address: .ipv4(host: "127.0.0.1", port: 0), transportSecurity: .plaintext),
    services: [EchoProvider()]
)
let data = FileManager.default.temporaryDirectory.appending(path: "gateway-benchmark-\(UUID().uuidString)")
defer { try? FileManager.default.removeItem(at: data) }

try await withThrowingDiscardingTaskGroup { group in
    group.addTask { try await providerServer.serve() }
    guard let providerPort = try await providerServer.listeningAddress?.ipv4?.port else { fatalError("provider not listening") }

    var server = TrainingServerConfiguration.defaults
    server.port = 0
    server.dataDirectory = data
    server.jobs.pollInterval = .milliseconds(100)
    // A trainer that accepts any dataset and writes a one-file model.
    let script = #"if [ "$1" = train ]; then echo weights > "$5/model"; fi; echo '{"report": "ok"}'"#
    let configuration = GatewayConfiguration(
        server: server,
        provider: .init(descriptorSet: Data(base64Encoded: exampleServiceDescriptorSetBase64)!, host: "127.0.0.1", port: providerPort),
        trainers: [MethodName(service: "service.ExampleService", method: "stt"): TrainerCommand(executable: "/bin/sh", arguments: ["-c", script, "trainer"])]
    )
    let gateway = try await TrainingGateway.make(configuration: configuration, logger: logger)
    let services = ServiceGroup(configuration: .init(services: [gateway], logger: logger))
    group.addTask { try await services.run() }
    let gatewayPort = try await gateway.listeningPort()

    let modelPath = try await TrainedModel.make(gatewayPort: gatewayPort, data: data)
    // sttInput { model_id: { model_id: ID }, speech: 1 KiB }
    let idBytes = Array(modelPath.id.utf8)
    let modelID: [UInt8] = [0x0A, UInt8(idBytes.count)] + idBytes
    let request: [UInt8] = [0x0A, UInt8(modelID.count)] + modelID + [0x12, 0x80, 0x08] + [UInt8](repeating: 7, count: 1024)

    var direct = Metadata()
    direct.addString(modelPath.id, forKey: "snet-model-id")
    direct.addString(modelPath.path, forKey: "snet-model-path")
    let straight = try await CallLoad.callsPerSecond(port: providerPort, request: request, metadata: direct, callers: callers, duration: duration)
    let through = try await CallLoad.callsPerSecond(port: gatewayPort, request: request, metadata: [:], callers: callers, duration: duration)
    print("## Gateway forwarding overhead (trainable unary call, \(callers) concurrent callers, \(duration) each)\n")
    print("| path | calls/s |")
    print("| --- | --- |")
    print("| straight to the provider | \(Int(straight)) |")
    print("| through the gateway | \(Int(through)) |")
    print("\nratio gateway / direct: \(String(format: "%.2f", through / straight))")

    await services.triggerGracefulShutdown()
    providerServer.beginGracefulShutdown()
}
