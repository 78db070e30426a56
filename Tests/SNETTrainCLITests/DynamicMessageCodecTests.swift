import ExampleServiceProto
import Foundation
import SwiftProtobuf
import Testing
import TrainingClient
import TrainingProto

/// `call` builds requests from descriptors alone; they must be what generated code reads.
@Suite("DynamicMessageCodec")
struct DynamicMessageCodecTests {
    let codec = DynamicMessageCodec(descriptors: try! ServiceDescriptors(descriptorSet: Data(base64Encoded: exampleServiceDescriptorSetBase64)!))

    @Test("a request built from PATH=VALUE pairs parses as the generated message")
    func encode() throws {
        let bytes = try codec.encode(type: "service.sttInput", assignments: [("model_id.model_id", "abc"), ("speech", "hello")])
        let message = try Service_sttInput(serializedBytes: bytes)
        #expect(message.modelID.modelID == "abc")
        #expect(message.speech == Data("hello".utf8))
    }

    @Test("a generated message decodes to JSON with proto field names; enums by name; absent scalars as defaults")
    func decode() throws {
        let response = try codec.decode(type: "service.sttResp", bytes: try Service_sttResp.with { $0.result = "yes" }.serializedBytes())
        #expect(response == .object([.init("result", .string("yes"))]))
        let status = try codec.decode(type: "training.StatusResponse", bytes: try Training_StatusResponse.with { $0.status = .readyToUse }.serializedBytes())
        #expect(status == .object([.init("status", .string("READY_TO_USE"))]))
        let empty = try codec.decode(type: "training.UploadInput", bytes: [])
        #expect(
            empty
                == .object([
                    .init("model_id", .string("")), .init("data", .string("")), .init("file_name", .string("")),
                    .init("file_size", .unsigned(0)), .init("batch_size", .unsigned(0)), .init("batch_number", .unsigned(0)),
                    .init("batch_count", .unsigned(0)),
                ]))
    }

    @Test("unknown fields and wrong values are refused with the field's name")
    func problems() {
        #expect(throws: DynamicMessageCodec.Problem.self) { try codec.encode(type: "service.sttInput", assignments: [("nope", "1")]) }
        #expect(throws: DynamicMessageCodec.Problem.self) { try codec.encode(type: "training.UploadInput", assignments: [("file_size", "-1")]) }
        #expect(throws: DynamicMessageCodec.Problem.self) { try codec.encode(type: "service.sttInput", assignments: [("model_id", "x")]) }
    }
}
