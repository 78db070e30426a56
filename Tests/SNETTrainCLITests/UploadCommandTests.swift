import Foundation
import GRPCCore
import SwiftProtobuf
import Testing
import TrainingClient
import TrainingCore
import TrainingProto
import TrainingTesting

/// `upload`: the pre-check stops a bad archive before any byte is sent, and an interrupted upload
/// leaves the model as it was.
@Suite("snet-train: upload")
struct UploadCommandTests {
    @Test("the pre-check refuses a file type the method does not accept: exit 4, every problem listed, nothing sent")
    func precheckRefusesFileType() async throws {
        let scratch = try ScratchDirectory()
        let bad = scratch.file("mixed.zip")
        try ArchiveBuilder.zip(
            ["animals/1.txt": Data("cat dog".utf8), "weather/rain.mp3": Data(repeating: 1, count: 64), "weather/2.txt": Data("sun".utf8)],
            at: bad
        )
        try await withTextServer { server in
            let id = try await runCLI(["create", "--method", "service.ExampleService/stt", "--name", "m"], port: server.port)
                .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let run = try await runCLI(["upload", id, bad.path(percentEncoded: false)], port: server.port)
            #expect(run.exitCode == 4)
            #expect(run.stdout.isEmpty)
            #expect(run.stderr.hasPrefix("error: DATASET_REJECTED: "))
            #expect(run.stderr.contains("nothing was sent"))
            #expect(run.stderr.contains("  - weather/rain.mp3: "))
            #expect(!run.stderr.contains("uploaded"))

            let json = try await runCLI(["upload", id, bad.path(percentEncoded: false), "--json"], port: server.port)
            #expect(json.exitCode == 4)
            let error = try #require(try json.json()["error"] as? [String: Any])
            #expect(error["code"] as? String == "DATASET_REJECTED")
            #expect((error["details"] as? [String])?.contains { $0.hasPrefix("weather/rain.mp3") } == true)

            // The server never heard of the file: still CREATED, no upload or dataset on disk.
            let status = try await runCLI(["status", id, "--json"], port: server.port)
            #expect(try status.json()["status"] as? String == "CREATED")
            #expect(files(of: id, area: "uploads", in: server).isEmpty)
            #expect(files(of: id, area: "datasets", in: server).isEmpty)
        }
    }

    @Test("--proto-set: limits from a descriptor set file (here at most 2 files) refuse a 4-file archive")
    func precheckFromProtoSet() async throws {
        let scratch = try ScratchDirectory()
        let dataset = try textDataset(in: scratch)
        var set = try Google_Protobuf_FileDescriptorSet(serializedBytes: TextLabelService.descriptorSet, extensions: Training_Training_Extensions)
        for file in set.file.indices {
            for service in set.file[file].service.indices {
                for method in set.file[file].service[service].method.indices where set.file[file].service[service].method[method].name == "stt" {
                    set.file[file].service[service].method[method].options.Training_datasetMaxCountFiles = 2
                }
            }
        }
        let protoSet = scratch.file("limits.protoset")
        try set.serializedData().write(to: protoSet)
        try await withTextServer { server in
            let id = try await runCLI(["create", "--method", "service.ExampleService/stt", "--name", "m"], port: server.port)
                .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let run = try await runCLI(
                [
                    "upload", id, dataset.path(percentEncoded: false), "--proto-set", protoSet.path(percentEncoded: false), "--method",
                    "service.ExampleService/stt",
                ],
                port: server.port
            )
            #expect(run.exitCode == 4, "\(run.stderr)")
            #expect(run.stderr.contains("DATASET_REJECTED"))
            #expect(files(of: id, area: "uploads", in: server).isEmpty)
        }
    }

    @Test("--no-check sends a bad archive anyway; the server's own check ends the model ERRORED")
    func noCheck() async throws {
        let scratch = try ScratchDirectory()
        let bad = scratch.file("bad.zip")
        try ArchiveBuilder.zip(["a/1.txt": Data("x".utf8), "b/clip.mp3": Data("y".utf8)], at: bad)
        try await withTextServer { server in
            let id = try await runCLI(["create", "--method", "service.ExampleService/stt", "--name", "m"], port: server.port)
                .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let run = try await runCLI(["upload", id, bad.path(percentEncoded: false), "--no-check", "--json"], port: server.port)
            #expect(run.exitCode == 0, "\(run.stderr)")
            #expect(try run.json()["checkedAgainst"] == nil)
            let watched = try await runCLI(["watch", id, "--interval", "0.1"], port: server.port)
            #expect(watched.exitCode == 5)
            #expect(watched.stdout.contains("mp3"))
        }
    }

    @Test("an upload interrupted mid-stream leaves the previous dataset and status, and no partial file")
    func interruptedUpload() async throws {
        let scratch = try ScratchDirectory()
        let dataset = try textDataset(in: scratch)
        // Under the method's dataset_max_size_mb, sent in many small batches so that the cancellation
        // surely lands mid-stream (the SDK's 1 MiB batches would make only one or two).
        let big = scratch.file("big.zip")
        try Data(count: Int(textSTTOptions.Training_datasetMaxSizeMb) << 19).write(to: big)
        try await withTextServer { server in
            try await server.withClient { grpc in
                let models = ModelClient(wrapping: grpc)
                let id = try await models.create(NewModelSpec(service: "service.ExampleService", method: "stt", name: "kept"))
                _ = try await models.upload(try DatasetUpload(file: dataset), modelID: id)
                var watcher = StatusWatcher(models: models, interval: .milliseconds(100))
                watcher.alsoStopAt = [.validated]
                #expect(try await watcher.watch(modelID: id, timeout: .seconds(30)).status == .validated)
                let datasetsBefore = files(of: id, area: "datasets", in: server)

                // The upload stops after its second batch until it is cancelled, so the cancellation
                // lands mid-stream however fast the machine sends the rest.
                let (started, signal) = AsyncStream<Void>.makeStream()
                let cancelled = DispatchSemaphore(value: 0)
                let upload = Task {
                    try await models.upload(try DatasetUpload(file: big, batchSize: 8 << 10), modelID: id) { progress in
                        guard progress.batchNumber == 2 else { return }
                        signal.yield()
                        _ = cancelled.wait(timeout: .now() + 10)
                    }
                }
                var iterator = started.makeAsyncIterator()
                await iterator.next()
                upload.cancel()
                cancelled.signal()
                let result = await upload.result
                #expect(throws: (any Error).self) { try result.get() }
                if case .failure(let error) = result {
                    let rpc = error as? RPCError
                    let cancelled = error is CancellationError || rpc?.code == .cancelled || rpc?.cause is CancellationError
                    #expect(cancelled, "the upload failed for another reason: \(error)")
                }

                // The server notices the broken stream and removes the partial upload.
                let deadline = ContinuousClock.now + .seconds(10)
                while !files(of: id, area: "uploads", in: server).isEmpty, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(50))
                }
                #expect(files(of: id, area: "uploads", in: server).isEmpty)
                #expect(files(of: id, area: "datasets", in: server) == datasetsBefore)
                let after = try await models.status(modelID: id)
                #expect(after.status == .validated, "\(after)")
            }
        }
    }

    @Test("the messages are the SDK's: 1 MiB batches numbered from 1, with file name, size and count on each")
    func sdkIdenticalBatches() async throws {
        let scratch = try ScratchDirectory()
        let file = scratch.file("data.zip")
        try Data(repeating: 7, count: (5 << 19) + 3).write(to: file)  // 2.5 MiB + 3 bytes
        let upload = try DatasetUpload(file: file)
        var messages: [Training_UploadInput] = []
        for try await message in upload.messages(modelID: "m1") { messages.append(message) }
        #expect(messages.map(\.batchNumber) == [1, 2, 3])
        #expect(messages.map(\.data.count) == [1 << 20, 1 << 20, (1 << 19) + 3])
        #expect(
            messages.allSatisfy {
                $0.modelID == "m1" && $0.fileName == "data.zip" && $0.fileSize == (5 << 19) + 3 && $0.batchSize == 1 << 20 && $0.batchCount == 3
            })
    }
}
