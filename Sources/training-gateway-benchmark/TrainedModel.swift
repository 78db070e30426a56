import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import TrainingProto
import TrainingTesting

/// A READY_TO_USE model of `service.ExampleService/stt` trained through the gateway's own
/// `training.Model`, as the daemon would: create, upload, validate, train.
enum TrainedModel {
    static func make(gatewayPort: Int, data: URL) async throws -> (id: String, path: String) {
        let archive = data.appending(path: "dataset.zip")
        try ArchiveBuilder.zip(["yes/a.wav": Data(count: 64), "no/b.wav": Data(count: 64)], at: archive)
        let transport = try HTTP2ClientTransport.Posix(target: .ipv4(address: "127.0.0.1", port: gatewayPort), transportSecurity: .plaintext)
        return try await withGRPCClient(transport: transport) { grpc in
            let client = Training_Model.Client(wrapping: grpc)
            var new = Training_NewModel()
            new.grpcServiceName = "service.ExampleService"
            new.grpcMethodName = "stt"
            let id = try await client.create_model(new).modelID
            _ = try await SDKUpload.upload(file: archive, modelID: id, client: client)
            try await wait(client, id, for: .validated)
            var model = Training_ModelID()
            model.modelID = id
            _ = try await client.train_model(model)
            try await wait(client, id, for: .readyToUse)
            let artifacts = try FileManager.default.subpathsOfDirectory(atPath: data.path(percentEncoded: false))
            guard let artifact = artifacts.first(where: { $0.contains(id) && $0.hasSuffix(".model") }) else {
                throw RPCError(code: .internalError, message: "the trained model's directory was not found")
            }
            return (id, data.appending(path: artifact).path(percentEncoded: false))
        }
    }

    private static func wait(_ client: Training_Model.Client<HTTP2ClientTransport.Posix>, _ id: String, for wanted: Training_Status) async throws {
        var model = Training_ModelID()
        model.modelID = id
        for _ in 0..<1200 {
            let status = try await client.get_model_status(model).status
            if status == wanted { return }
            if status == .errored { throw RPCError(code: .internalError, message: "the benchmark model ended ERRORED") }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw RPCError(code: .deadlineExceeded, message: "the benchmark model never became \(wanted)")
    }
}
