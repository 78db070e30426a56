import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import Logging
import SNETTraining
import ServiceLifecycle
import Synchronization
import Testing
import TrainingGateway
import TrainingTesting

/// A gateway whose provider is down: it starts anyway with a warning naming the provider, and a
/// forwarded call answers UNAVAILABLE saying that the provider (its endpoint) cannot be reached,
/// not the gateway the caller reached.
@Suite("A provider that cannot be reached")
struct ProviderUnreachableTests {
    @Test("start-up warns, and unary and streaming calls name the provider's endpoint")
    func unreachableProvider() async throws {
        let scratch = FileManager.default.temporaryDirectory.appending(path: "gateway-unreachable-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        try FileManager.default.copyItem(
            at: GatewayConfigurationTests.example.appending(path: "intent.protoset"), to: scratch.appending(path: "intent.protoset"))
        let providerPort = try UnusedPort.pick()
        let yaml = """
            server: {host: 127.0.0.1, port: 0, dataDirectory: \(scratch.appending(path: "data").path(percentEncoded: false))}
            provider: {descriptorSet: intent.protoset, endpoint: "127.0.0.1:\(providerPort)"}
            methods:
              classify: {trainer: {command: [/bin/true]}}
              rank: {trainer: {command: [/bin/true]}}
            """
        let file = scratch.appending(path: "gateway.yaml")
        try Data(yaml.utf8).write(to: file)
        let configuration = try await GatewayConfiguration.load(
            sources: ConfigurationSources(filePath: file.path(percentEncoded: false), environment: [:], environmentPrefix: "TRAINING_GATEWAY", commandLine: [:])
        )
        let records = LogRecords()
        let logger = Logger(label: "gateway-test") { _ in records.handler() }
        let gateway = try await TrainingGateway.make(configuration: configuration, logger: logger)
        let warnings = records.lines.filter { $0.level == .warning && $0.message.contains("the provider cannot be reached") }
        #expect(warnings.count == 1, "\(records.lines)")
        #expect(warnings.first?.metadata["provider"] == "127.0.0.1:\(providerPort)")
        #expect(warnings.first?.metadata["reason"] == "nothing listens on that port")

        let group = ServiceGroup(services: [gateway], gracefulShutdownSignals: [], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let port = try await gateway.listeningPort()
            try await withGRPCClient(
                transport: .http2NIOPosix(target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: .plaintext)
            ) { client in
                let expected = "The provider at 127.0.0.1:\(providerPort) cannot be reached (nothing listens on that port): this training gateway is running"
                // labels: unary, not trainable.
                let unary = await #expect(throws: RPCError.self) {
                    _ = try await client.unary(
                        request: ClientRequest(message: [UInt8]()),
                        descriptor: MethodDescriptor(fullyQualifiedService: "intent.IntentClassifier", method: "labels"),
                        serializer: Bytes(), deserializer: Bytes(), options: .defaults
                    ) { try $0.message }
                }
                #expect(unary?.code == .unavailable)
                #expect(unary?.message.hasPrefix(expected) == true, "\(unary?.message ?? "")")
                // rank with the default model: server streaming, the failure arrives while streaming.
                let request: [UInt8] = [0x0A, 0x09, 0x0A, 0x07] + Array("default".utf8)
                let streaming = await #expect(throws: RPCError.self) {
                    try await client.serverStreaming(
                        request: ClientRequest(message: request),
                        descriptor: MethodDescriptor(fullyQualifiedService: "intent.IntentClassifier", method: "rank"),
                        serializer: Bytes(), deserializer: Bytes(), options: .defaults
                    ) { response in for try await _ in response.messages {} }
                }
                #expect(streaming?.code == .unavailable)
                #expect(streaming?.message.hasPrefix(expected) == true, "\(streaming?.message ?? "")")
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}

/// Raw message bytes, as the gateway forwards them.
struct Bytes: MessageSerializer, MessageDeserializer {
    func serialize<Output: GRPCContiguousBytes>(_ message: [UInt8]) throws -> Output { Output(message) }
    func deserialize<Input: GRPCContiguousBytes>(_ serializedMessageBytes: Input) throws -> [UInt8] {
        serializedMessageBytes.withUnsafeBytes { Array($0) }
    }
}

/// Log records kept for inspection.
final class LogRecords: Sendable {
    struct Record: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: [String: String]
    }

    private let records = Mutex<[Record]>([])

    var lines: [Record] { records.withLock { $0 } }

    func handler() -> some LogHandler { Handler(records: self) }

    fileprivate func append(_ record: Record) { records.withLock { $0.append(record) } }

    private struct Handler: LogHandler {
        let records: LogRecords
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            records.append(Record(level: event.level, message: "\(event.message)", metadata: merged.mapValues { "\($0)" }))
        }
    }
}
