import Foundation
import GRPCCore
import SNETTraining
import SwiftProtobuf
import Synchronization
import Testing
import TrainingProto
import TrainingTesting

@Suite("Uploads that break off or arrive at the wrong time change nothing")
struct UploadHardeningTests {
    struct Abandoned: Error {}

    func partFiles(in server: LiveTrainingServer) -> [String] {
        let models = server.dataDirectory.appending(path: "models").path(percentEncoded: false)
        let files = FileManager.default.enumerator(atPath: models)?.allObjects as? [String] ?? []
        return files.filter { $0.contains("/uploads/") && !$0.hasSuffix("/uploads") }
    }

    @Test("a client that disconnects mid-stream leaves no file and the model as it was")
    func disconnectMidStream() async throws {
        let server = try await startTextServer()
        defer { server.removeData() }
        try await server.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            let id = try await client.createModel()
            let sawPartialFile = Mutex(false)
            await #expect(throws: (any Error).self, "the abandoned upload must fail") {
                _ = try await client.upload_and_validate { writer in
                    for number in 1...2 {
                        try await writer.write(
                            .with {
                                $0.modelID = id; $0.data = Data(count: 256 << 10); $0.fileName = "d.zip"
                                $0.fileSize = 1 << 20; $0.batchSize = 256 << 10; $0.batchNumber = UInt64(number); $0.batchCount = 4
                            })
                    }
                    // The half-sent dataset is on the server's disk before the client walks away,
                    // so its removal below is observed, not assumed.
                    let deadline = ContinuousClock.now + .seconds(5)
                    while partFiles(in: server).isEmpty && ContinuousClock.now < deadline {
                        try await Task.sleep(for: .milliseconds(20))
                    }
                    sawPartialFile.withLock { $0 = !partFiles(in: server).isEmpty }
                    throw Abandoned()
                }
            }
            #expect(sawPartialFile.withLock { $0 }, "the partial upload was being written")
            let deadline = ContinuousClock.now + .seconds(5)
            while !partFiles(in: server).isEmpty && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(try await client.status(id) == .created)
        }
        #expect(partFiles(in: server).isEmpty, "left behind: \(partFiles(in: server))")
        try await server.stop()
    }

}
