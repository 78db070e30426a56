import Foundation
import GRPCCore
import SwiftProtobuf
import TrainingProto

// The gateway's forwarding cost, against the same calls made straight to the provider, in one
// run: the provider and the gateway (the `training-gateway` executable, configured as an operator
// would) each run in a process of their own, so the CPU time each spends per call is read from
// /proc. Each run measures, per method, the direct and the forwarded calls back to back (their
// order alternating from run to run, so a burst of other load falls on both), then
// get_model_status served by the gateway itself (what stt-service spends on a call of its own).
// The provider answers at once, so this is the worst case for the ratio. With --relay-floor,
// `ping` is also measured through ``RelayFloor`` (a measurement tool, not the product path): what
// any frame-level forwarder could reach here, in the same runs.
// Usage: training-gateway-benchmark [--callers 64] [--seconds 5] [--runs 5] [--provider swift|python]
//        [--gateway PATH]  (default: the training-gateway built next to this executable) [--relay-floor]
//        [--compare-gateway PATH]  (`ping` also through another gateway build, in the same runs)
let arguments = CommandLine.arguments
func option(_ name: String) -> String? {
    arguments.firstIndex(of: name).flatMap { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil }
}
if let port = option("--serve-provider").flatMap(Int.init) {
    try await EchoProvider.serve(port: port)
    exit(0)
}
if let port = option("--serve-relay").flatMap(Int.init), let providerPort = option("--relay-to").flatMap(Int.init) {
    try await RelayFloor.serve(port: port, providerPort: providerPort)
    exit(0)
}
let callers = option("--callers").flatMap(Int.init) ?? 64
let duration = Duration.seconds(option("--seconds").flatMap(Int.init) ?? 5)
let runs = max(1, option("--runs").flatMap(Int.init) ?? 5)
let providerKind = option("--provider") ?? "swift"
let relayFloor = arguments.contains("--relay-floor")
guard providerKind == "swift" || providerKind == "python" else {
    FileHandle.standardError.write(Data("--provider is swift or python\n".utf8))
    exit(64)
}

do {
    try await measure()
} catch {
    FileHandle.standardError.write(Data("training-gateway-benchmark: \(error)\n".utf8))
    exit(1)
}

func measure() async throws {
    let scratch = FileManager.default.temporaryDirectory.appending(path: "gateway-benchmark-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }

    let providerPort = try LoopbackPort.free()
    let provider =
        providerKind == "swift"
        ? try ChildProcess(
            name: "provider", executable: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"),
            arguments: ["--serve-provider", "\(providerPort)"], log: scratch.appending(path: "provider.log"))
        : try ChildProcess(
            name: "provider", executable: "/usr/bin/env", arguments: ["python3", "-c", PythonProvider.script, "\(providerPort)"],
            log: scratch.appending(path: "provider.log"))
    defer { provider.stop() }
    try await LoopbackPort.waitUntilListening(providerPort, name: "the provider")
    let gatewayPort = try LoopbackPort.free()
    let gateway = try GatewayProcess.start(executable: option("--gateway"), providerPort: providerPort, port: gatewayPort, scratch: scratch)
    defer { gateway.stop() }
    try await LoopbackPort.waitUntilListening(gatewayPort, name: "the gateway")
    var compared: (process: ChildProcess, port: Int)?
    if let executable = option("--compare-gateway") {
        let port = try LoopbackPort.free()
        let directory = scratch.appending(path: "compared")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        compared = (try GatewayProcess.start(executable: executable, providerPort: providerPort, port: port, scratch: directory), port)
        try await LoopbackPort.waitUntilListening(port, name: "the compared gateway")
    }
    defer { compared?.process.stop() }
    var relay: (process: ChildProcess, port: Int)?
    if relayFloor {
        let port = try LoopbackPort.free()
        let process = try ChildProcess(
            name: "relay floor", executable: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"),
            arguments: ["--serve-relay", "\(port)", "--relay-to", "\(providerPort)"], log: scratch.appending(path: "relay.log"))
        relay = (process, port)
        try await LoopbackPort.waitUntilListening(port, name: "the relay floor")
    }
    defer { relay?.process.stop() }

    let model = try await TrainedModel.make(gatewayPort: gatewayPort, data: scratch.appending(path: "data"))
    var modelMetadata = Metadata()
    modelMetadata.addString(model.id, forKey: "snet-model-id")
    modelMetadata.addString(model.path, forKey: "snet-model-path")
    let sttRequest = BenchmarkMethod.sttRequest(modelID: model.id)
    func load(_ method: BenchmarkMethod, port: Int) -> CallLoad {
        switch method {
        case .ping:
            CallLoad(port: port, descriptor: method.descriptor, request: BenchmarkMethod.pingRequest(), expected: method.answer)
        case .stt:
            CallLoad(
                port: port, descriptor: method.descriptor, request: sttRequest,
                metadata: port == providerPort ? modelMetadata : [:], expected: method.answer)
        }
    }
    let status = CallLoad(
        port: gatewayPort, descriptor: MethodDescriptor(fullyQualifiedService: "training.Model", method: "get_model_status"),
        request: try Training_ModelID.with { $0.modelID = model.id }.serializedBytes()
    )

    var report = GatewayReport(callers: callers, duration: duration, provider: providerKind)
    report.printHeader()
    for run in 1...runs {
        let loadAverage = ProcessCPU.loadAverage()
        for method in BenchmarkMethod.allCases {
            // Direct, then each forwarder; the order reverses from run to run.
            var routes: [(via: Forwarder?, port: Int, process: ChildProcess?)] = [(nil, providerPort, nil), (.gateway, gatewayPort, gateway)]
            if let compared, method == .ping { routes.append((.comparedGateway, compared.port, compared.process)) }
            if let relay, method == .ping { routes.append((.relayFloor, relay.port, relay.process)) }
            if run % 2 == 0 { routes.reverse() }
            var direct: Window?
            var forwarded: [Forwarder: Window] = [:]
            for route in routes {
                let window = try await load(method, port: route.port).run(
                    callers: callers, duration: duration, servers: [provider] + (route.process.map { [$0] } ?? []))
                if let via = route.via { forwarded[via] = window } else { direct = window }
            }
            for via in Forwarder.allCases {
                guard let direct, let window = forwarded[via] else { continue }
                report.add(Measurement(run: run, method: method, via: via, direct: direct, forwarded: window, loadAverage: loadAverage))
            }
        }
        report.add(statusRun: run, try await status.run(callers: callers, duration: duration, servers: [gateway]))
    }
    report.printSummary()
}
