import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import Logging
import Metrics
import MetricsTestKit
import SNETTraining
import ServiceLifecycle
import Synchronization
import Testing
import TrainingGateway
import TrainingProto
import TrainingTesting

/// The forwarded path's metric objects (per-call RPC figures, the inference endpoint's, the
/// registry's) are made once per label set: after a first call, more calls ask the metrics factory
/// for nothing new, and every call is still counted.
@Suite("Forwarded calls reuse their metric objects")
struct ForwardingMetricsTests {
    @Test("a trainable call through the gateway makes no metric object after the first")
    func metricObjectsMadeOnce() async throws {
        let scratch = FileManager.default.temporaryDirectory.appending(path: "gateway-metrics-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        try FileManager.default.copyItem(
            at: GatewayConfigurationTests.example.appending(path: "intent.protoset"), to: scratch.appending(path: "intent.protoset"))
        let provider = GRPCServer(
            transport: HTTP2ServerTransport.Posix(address: .ipv4(host: "127.0.0.1", port: 0), transportSecurity: .plaintext),
            services: [ClassifyAnswer()]
        )
        let factory = CountingMetricsFactory()
        let logger = Logger(label: "gateway-metrics-test") { _ in SwiftLogNoOpLogHandler() }
        try await withMetricsFactory(factory) {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await provider.serve() }
                guard let providerPort = try await provider.listeningAddress?.ipv4?.port else { throw CancellationError() }
                let gateway = try await TrainingGateway.make(
                    configuration: try await Self.configuration(scratch: scratch, providerPort: providerPort), logger: logger)
                let group = ServiceGroup(services: [gateway], gracefulShutdownSignals: [], logger: logger)
                tasks.addTask { try await group.run() }
                try await withGRPCClient(
                    transport: .http2NIOPosix(target: .ipv4(address: "127.0.0.1", port: try await gateway.listeningPort()), transportSecurity: .plaintext)
                ) { client in
                    let id = try await Self.trainedModel(client: Training_Model.Client(wrapping: client), scratch: scratch)
                    // ClassifyRequest { model_id: { model_id: id }, text: "hi" }
                    let field: [UInt8] = [0x0A, UInt8(id.utf8.count)] + Array(id.utf8)
                    let request: [UInt8] = [0x0A, UInt8(field.count)] + field + [0x12, 0x02] + Array("hi".utf8)
                    let classify = MethodDescriptor(fullyQualifiedService: "intent.IntentClassifier", method: "classify")
                    func call() async throws {
                        let answer = try await client.unary(
                            request: ClientRequest(message: request), descriptor: classify,
                            serializer: Bytes(), deserializer: Bytes(), options: .defaults
                        ) { try $0.message }
                        #expect(answer == ClassifyAnswer.answer)
                    }
                    try await call()
                    let madeAfterFirst = factory.made
                    for _ in 0..<20 { try await call() }
                    #expect(factory.made == madeAfterFirst, "metric objects made by 20 more calls: \(factory.labels(after: madeAfterFirst))")
                    let hits = try factory.base.expectCounter("snet_model_cache_total", [("method", "classify"), ("result", "hit")])
                    #expect(hits.totalValue >= 20)
                    let handled = try factory.base.expectCounter(
                        "grpc_server_handled_total", [("service", "intent.IntentClassifier"), ("method", "classify"), ("code", "OK")])
                    #expect(handled.totalValue == 21)
                }
                await group.triggerGracefulShutdown()
                provider.beginGracefulShutdown()
                try await tasks.waitForAll()
            }
        }
    }

    private static func configuration(scratch: URL, providerPort: Int) async throws -> GatewayConfiguration {
        // A trainer that accepts any dataset and writes a one-file model.
        let trainer = #"[/bin/sh, -c, 'if [ "$1" = train ]; then echo weights > "$5/model"; fi; echo "{\"report\": \"ok\"}"', trainer]"#
        let yaml = """
            server: {host: 127.0.0.1, port: 0, dataDirectory: \(scratch.appending(path: "data").path(percentEncoded: false))}
            provider: {descriptorSet: intent.protoset, endpoint: "127.0.0.1:\(providerPort)"}
            methods:
              classify: {trainer: {command: \(trainer)}}
              rank: {trainer: {command: \(trainer)}}
            """
        let file = scratch.appending(path: "gateway.yaml")
        try Data(yaml.utf8).write(to: file)
        return try await GatewayConfiguration.load(
            sources: ConfigurationSources(filePath: file.path(percentEncoded: false), environment: [:], environmentPrefix: "TRAINING_GATEWAY", commandLine: [:])
        )
    }

    /// A READY_TO_USE classify model, made through the gateway's training.Model as the daemon would.
    private static func trainedModel<T: ClientTransport>(client: Training_Model.Client<T>, scratch: URL) async throws -> String {
        let archive = scratch.appending(path: "intents.zip")
        try ArchiveBuilder.zip(
            [
                "greet/a.txt": Data("hello".utf8), "greet/b.txt": Data("hi".utf8), "greet/c.txt": Data("hey".utf8),
                "bye/a.txt": Data("bye".utf8), "bye/b.txt": Data("ciao".utf8), "bye/c.txt": Data("later".utf8),
            ],
            at: archive)
        var new = Training_NewModel()
        new.grpcServiceName = "intent.IntentClassifier"
        new.grpcMethodName = "classify"
        let id = try await client.create_model(new).modelID
        _ = try await SDKUpload.upload(file: archive, modelID: id, client: client)
        try await wait(client, id, for: .validated)
        var model = Training_ModelID()
        model.modelID = id
        _ = try await client.train_model(model)
        try await wait(client, id, for: .readyToUse)
        return id
    }

    private static func wait<T: ClientTransport>(_ client: Training_Model.Client<T>, _ id: String, for wanted: Training_Status) async throws {
        var model = Training_ModelID()
        model.modelID = id
        for _ in 0..<1200 {
            let status = try await client.get_model_status(model).status
            if status == wanted { return }
            try #require(status != .errored, "the test model ended ERRORED")
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("the test model never became \(wanted)")
        throw CancellationError()
    }
}

/// A provider's `classify` that answers at once, once the gateway has named the model's directory.
private struct ClassifyAnswer: RegistrableRPCService {
    /// ClassifyResponse { label: "greet" }
    static let answer: [UInt8] = [0x0A, 0x05] + Array("greet".utf8)

    func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
        router.registerHandler(
            forMethod: MethodDescriptor(fullyQualifiedService: "intent.IntentClassifier", method: "classify"),
            deserializer: Bytes(), serializer: Bytes()
        ) { request, _ in
            for try await _ in request.messages {}
            guard request.metadata[stringValues: "snet-model-path"].contains(where: { _ in true }) else {
                throw RPCError(code: .failedPrecondition, message: "no snet-model-path")
            }
            return StreamingServerResponse(single: ServerResponse(message: Self.answer))
        }
    }
}

/// Counts the metric objects of the forwarded path asked for (every `Counter(…)`, `Timer(…)` and so
/// on asks its factory for a handler), keeping the figures in a `TestMetrics`. Only the families a
/// forwarded call records are counted: the registry's health probe and the job runner's lease
/// renewals make their objects on their own timers, which a slow machine lets fire during the calls.
private final class CountingMetricsFactory: MetricsFactory, Sendable {
    static let forwardedPath = ["grpc_server_", "snet_inference_", "snet_model_cache_", "snet_registry_query_seconds"]

    let base = TestMetrics()
    private let labels = Mutex<[String]>([])

    var made: Int { labels.withLock { $0.count } }

    /// The labels of the objects made after the first `count` (to say which family was remade).
    func labels(after count: Int) -> [String] { labels.withLock { Array($0.dropFirst(count)) } }

    private func counted<H>(_ label: String, _ handler: H) -> H {
        if Self.forwardedPath.contains(where: label.hasPrefix) { labels.withLock { $0.append(label) } }
        return handler
    }

    func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        counted(label, base.makeCounter(label: label, dimensions: dimensions))
    }
    func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        counted(label, base.makeFloatingPointCounter(label: label, dimensions: dimensions))
    }
    func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        counted(label, base.makeMeter(label: label, dimensions: dimensions))
    }
    func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        counted(label, base.makeRecorder(label: label, dimensions: dimensions, aggregate: aggregate))
    }
    func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        counted(label, base.makeTimer(label: label, dimensions: dimensions))
    }
    func destroyCounter(_ handler: any CounterHandler) { base.destroyCounter(handler) }
    func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) { base.destroyFloatingPointCounter(handler) }
    func destroyMeter(_ handler: any MeterHandler) { base.destroyMeter(handler) }
    func destroyRecorder(_ handler: any RecorderHandler) { base.destroyRecorder(handler) }
    func destroyTimer(_ handler: any TimerHandler) { base.destroyTimer(handler) }
}
