import Foundation
import Synchronization
import GRPCCore
import Logging
import SNETTraining
import SwiftProtobuf
import Testing
import TrainingOperations
import TrainingProto
import TrainingGRPC

@Suite("Request log")
struct RequestLogTests {
    @Test("One line per RPC with method, model, code, duration, peer and bytes; its request id tags every line the call causes")
    func requestIDOnEveryLine() async throws {
        let record = LogRecord()
        let server = try await OperationsServer.start(logger: record.logger(metadataProvider: .requestID), admin: false)
        let (given, echoed, id): (String, String?, String)
        do {
            (given, echoed, id) = try await server.withClient { client in
                let models = Training_Model.Client(wrapping: client)
                let request = ClientRequest(
                    message: Training_NewModel.with {
                        $0.grpcServiceName = "service.ExampleService"
                        $0.grpcMethodName = "stt"
                    },
                    metadata: ["x-request-id": "provider-trace-42"]
                )
                return try await models.create_model(request: request) { response in
                    ("provider-trace-42", response.metadata[stringValues: "x-request-id"].first(where: { _ in true }), try response.message.modelID)
                }
            }
            await #expect(throws: RPCError.self) {
                try await server.withClient { client in
                    _ = try await Training_Model.Client(wrapping: client).get_model_status(.with { $0.modelID = "feedfeedfeedfeedfeedfeedfeedfeed" })
                }
            }
        } catch {
            try await server.stop()
            throw error
        }
        try await server.stop()
        #expect(echoed == given)
        let lines = record.all
        let rpc = try #require(lines.first { $0.message == "rpc" && $0.metadata["method"] == "training.Model/create_model" })
        #expect(rpc.metadata["request_id"] == given)
        #expect(rpc.metadata["code"] == "OK")
        #expect(rpc.metadata["model_id"] == id)
        #expect(rpc.metadata["peer"]?.contains("127.0.0.1") == true)
        #expect(Int(rpc.metadata["bytes_in"] ?? "") ?? 0 > 0)
        #expect(Int(rpc.metadata["bytes_out"] ?? "") ?? 0 > 30)
        #expect(Double(rpc.metadata["duration_ms"] ?? "") != nil)
        // The workflow's own line about the new model carries the same request id.
        let created = try #require(lines.first { $0.message == "model created" })
        #expect(created.metadata["request_id"] == given)

        let failed = try #require(lines.first { $0.message == "rpc" && $0.metadata["method"] == "training.Model/get_model_status" })
        #expect(failed.metadata["code"] == "NOT_FOUND")
        #expect(failed.metadata["model_id"] == "feedfeedfeedfeedfeedfeedfeedfeed")
        let generated = try #require(failed.metadata["request_id"])
        #expect(generated.count == 32 && generated != given)
        // Background work is not an RPC: no request id on job lines.
        #expect(lines.filter { $0.metadata["request_id"] == nil }.allSatisfy { $0.message != "rpc" })
    }

    @Test("logFormat json writes one JSON object per line with the request log's fields")
    func jsonLines() throws {
        let output = LinesBox()
        var logger = Logger(label: "json") { label in
            JSONLogHandler(label: label, metadataProvider: .requestID) { output.append($0) }
        }
        logger.logLevel = .info
        RequestContext.$requestID.withValue("abc123") {
            logger.info("rpc", metadata: ["code": "OK", "bytes_in": .stringConvertible(12)])
        }
        let lines = output.all
        #expect(lines.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(object["message"] as? String == "rpc")
        #expect(object["request_id"] as? String == "abc123")
        #expect(object["code"] as? String == "OK")
        #expect(object["bytes_in"] as? Int == 12)
        #expect(object["level"] as? String == "info")
        #expect(lines[0].hasSuffix("}\n"))
    }
}

final class LinesBox: Sendable {
    private let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    func append(_ line: String) { lines.withLock { $0.append(line) } }
}
