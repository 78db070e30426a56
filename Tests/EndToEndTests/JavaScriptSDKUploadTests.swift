import Foundation
import GRPCCore
import SNETTraining
import SwiftProtobuf
import Testing
import TrainingProto
import TrainingTesting

/// The JavaScript SDK's upload (snet-sdk-js-core 0.1.8, `TrainingProvider.uploadAndValidateModel`),
/// replayed message for message over real gRPC: it reads the file in 1 MiB pieces but writes its
/// base message for each one, so the stream is ⌈size / 1 MiB⌉ messages that each carry the whole
/// file, with batch_size 1 MiB, batch_number 0 and batch_count ⌈size / 1 MiB⌉.
@Suite("The JavaScript SDK's upload")
struct JavaScriptSDKUploadTests {
    static let mebibyte = 1 << 20

    /// The messages the JavaScript SDK sends for `file`, in order.
    static func javaScriptSDKMessages(file: URL, modelID: String) throws -> [Training_UploadInput] {
        let data = try Data(contentsOf: file)
        let batchCount = (data.count + mebibyte - 1) / mebibyte
        let base = Training_UploadInput.with {
            $0.modelID = modelID
            $0.data = data
            $0.fileName = file.lastPathComponent
            $0.fileSize = UInt64(data.count)
            $0.batchSize = UInt64(mebibyte)
            $0.batchNumber = 0
            $0.batchCount = UInt64(batchCount)
        }
        return Array(repeating: base, count: batchCount)
    }

    /// A text dataset whose zip is between 1 and 2 MiB (words of random letters and digits barely
    /// compress), so the JavaScript SDK sends it twice, with its content under the test service's
    /// 2 MiB `dataset_max_size_mb`.
    static func datasetOverOneMebibyte(at url: URL) throws {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-".utf8)
        var generator = SystemRandomNumberGenerator()
        func randomText(bytes: Int) -> Data {
            var text = [UInt8]()
            text.reserveCapacity(bytes)
            while text.count < bytes {
                for _ in 0..<8 { text.append(alphabet[Int.random(in: 0..<alphabet.count, using: &generator)]) }
                text.append(UInt8(ascii: " "))
            }
            return Data(text.prefix(bytes))
        }
        try ArchiveBuilder.zip(
            [
                "animals/1.txt": Data("the cat and the dog ran".utf8), "animals/2.txt": randomText(bytes: 950_000),
                "weather/1.txt": Data("rain and snow and wind".utf8), "weather/2.txt": randomText(bytes: 950_000),
            ],
            at: url
        )
    }

    /// Archives stored under the data directory, with their sizes.
    static func storedArchives(in server: LiveTrainingServer) -> [Int] {
        let models = server.dataDirectory.appending(path: "models")
        let paths = FileManager.default.enumerator(atPath: models.path(percentEncoded: false))?.allObjects as? [String] ?? []
        return paths.filter { $0.hasSuffix(".zip") || $0.hasSuffix(".part") }.compactMap {
            try? FileManager.default.attributesOfItem(atPath: models.appending(path: $0).path(percentEncoded: false))[.size] as? Int
        }
    }

    @Test("its whole-file copies are stored once, validated and trained")
    func copiesAccepted() async throws {
        let scratch = try ScratchDirectory()
        let archive = scratch.file("words.zip")
        try Self.datasetOverOneMebibyte(at: archive)
        let size = try Data(contentsOf: archive).count
        try #require(size > Self.mebibyte && size < 2 * Self.mebibyte, "the archive is \(size) bytes")
        let server = try await startTextServer()
        defer { server.removeData() }
        try await server.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            let id = try await client.createModel()
            let messages = try Self.javaScriptSDKMessages(file: archive, modelID: id)
            #expect(messages.count == 2)
            let answer = try await client.upload_and_validate { try await $0.write(contentsOf: messages) }
            #expect(answer.status == .validating)
            #expect(try await client.waitWhileBusy(id) == .validated)
            #expect(Self.storedArchives(in: server) == [size], "one copy kept, not \(messages.count)")
            _ = try await client.train(id)
            #expect(try await client.waitWhileBusy(id) == .readyToUse)
        }
        try await server.stop()
    }

    @Test(
        "anything else with batch_number 0 is refused naming the pattern, and the model stays as it was",
        arguments: ["a copy that differs", "a partial first message", "a missing copy", "an extra copy", "a numbered message after copies"]
    )
    func otherPatternsRefused(variant: String) async throws {
        let scratch = try ScratchDirectory()
        let archive = scratch.file("words.zip")
        try Self.datasetOverOneMebibyte(at: archive)
        let server = try await startTextServer()
        defer { server.removeData() }
        try await server.withClient { grpc in
            let client = TrainingClient(wrapping: grpc)
            let id = try await client.createModel()
            var messages = try Self.javaScriptSDKMessages(file: archive, modelID: id)
            let expected: String
            switch variant {
            case "a copy that differs":
                messages[1].data[messages[1].data.count - 1] ^= 0xFF
                expected = "Upload message 2 differs from message 1"
            case "a partial first message":
                messages[0].data = messages[0].data.prefix(Self.mebibyte)
                expected = "batch_number 0 is accepted only as whole-file copies"
            case "a missing copy":
                messages.removeLast()
                expected = "ended after 1 of batch_count 2 messages of whole-file copies"
            case "an extra copy":
                messages.append(messages[0])
                expected = "more than batch_count 2 messages of whole-file copies"
            default:
                messages[1].batchNumber = 2
                expected = "Upload message 2 has batch_number 2, but the stream started as whole-file copies"
            }
            let stream = messages
            let message = await expectRPCError(.invalidArgument) {
                _ = try await client.upload_and_validate { try await $0.write(contentsOf: stream) }
            }
            #expect(message.contains(expected), "\(message)")
            #expect(message.contains("the JavaScript SDK's upload"), "\(message)")
            #expect(try await client.status(id) == .created)
        }
        #expect(Self.storedArchives(in: server).isEmpty, "a refused upload leaves no file")
        try await server.stop()
    }
}
