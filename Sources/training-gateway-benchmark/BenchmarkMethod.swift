import ExampleServiceProto
import Foundation
import GRPCCore
import SwiftProtobuf

/// The provider's methods the benchmark calls, and the descriptor set the gateway forwards them by.
enum BenchmarkMethod: String, CaseIterable, Sendable {
    /// `benchmark.Pinger/ping`: a plain unary method, forwarded as it is (the issue's `ping`).
    case ping
    /// `service.ExampleService/stt`: trainable, so the gateway reads the model id, checks the model
    /// and adds its path before forwarding.
    case stt

    var descriptor: MethodDescriptor {
        switch self {
        case .ping: MethodDescriptor(fullyQualifiedService: "benchmark.Pinger", method: "ping")
        case .stt: MethodDescriptor(fullyQualifiedService: "service.ExampleService", method: "stt")
        }
    }

    /// What the provider answers: `PingReply { payload: "pong" }`, `sttResp { result: "up" }`.
    var answer: [UInt8] {
        switch self {
        case .ping: [0x0A, 0x04] + Array("pong".utf8)
        case .stt: [0x0A, 0x02] + Array("up".utf8)
        }
    }

    /// The request bytes: `PingRequest { payload: "ping" }`, or `sttInput { model_id: { model_id: ID }, speech: 1 KiB }`.
    static func pingRequest() -> [UInt8] {
        [0x0A, 0x04] + Array("ping".utf8)
    }

    static func sttRequest(modelID: String) -> [UInt8] {
        let idBytes = Array(modelID.utf8)
        let field: [UInt8] = [0x0A, UInt8(idBytes.count)] + idBytes
        return [0x0A, UInt8(field.count)] + field + [0x12, 0x80, 0x08] + [UInt8](repeating: 7, count: 1024)
    }

    /// The example service's descriptor set with `benchmark.proto` added:
    /// `service Pinger { rpc ping(PingRequest) returns (PingReply); }`, each message one `bytes payload = 1`.
    static func descriptorSet() throws -> Data {
        var set = try Google_Protobuf_FileDescriptorSet(serializedBytes: Data(base64Encoded: exampleServiceDescriptorSetBase64)!)
        var file = Google_Protobuf_FileDescriptorProto()
        file.name = "benchmark.proto"
        file.package = "benchmark"
        file.syntax = "proto3"
        file.messageType = ["PingRequest", "PingReply"].map { name in
            var payload = Google_Protobuf_FieldDescriptorProto()
            payload.name = "payload"
            payload.number = 1
            payload.label = .optional
            payload.type = .bytes
            var message = Google_Protobuf_DescriptorProto()
            message.name = name
            message.field = [payload]
            return message
        }
        var ping = Google_Protobuf_MethodDescriptorProto()
        ping.name = "ping"
        ping.inputType = ".benchmark.PingRequest"
        ping.outputType = ".benchmark.PingReply"
        var service = Google_Protobuf_ServiceDescriptorProto()
        service.name = "Pinger"
        service.method = [ping]
        file.service = [service]
        set.file.append(file)
        return try set.serializedBytes()
    }
}
