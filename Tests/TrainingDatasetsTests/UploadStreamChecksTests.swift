import Foundation
import Testing
import TrainingCore
import TrainingDatasets

/// The stream bounds of `upload_and_validate`: what the SDK sends always passes; empty batches and
/// batch counts that contradict file_size are refused, up front where the numbers alone show it.
@Suite("Upload stream bounds")
struct UploadStreamChecksTests {
    static let mebibyte: UInt64 = 1 << 20

    /// The messages the SDK sends for a file of `size` bytes (CONTRACT.md): 1 MiB batches numbered
    /// from 1, batch_count = ⌈size / 1 MiB⌉, the last batch holding the rest.
    static func sdkChunks(size: UInt64, batchSize: UInt64 = mebibyte) -> [UploadChunk] {
        let count = (size + batchSize - 1) / batchSize
        return (1...count).map { number in
            let length = min(batchSize, size - (number - 1) * batchSize)
            return chunk(Data(count: Int(length)), size: size, number: number, count: count, batchSize: batchSize)
        }
    }

    static func chunk(
        _ data: Data,
        size: UInt64,
        number: UInt64,
        count: UInt64,
        batchSize: UInt64 = mebibyte
    ) -> UploadChunk {
        UploadChunk(
            modelID: "m", data: data, fileName: "d.zip", fileSize: size, batchSize: batchSize,
            batchNumber: number, batchCount: count
        )
    }

    /// Feeds every chunk and ends the stream; returns the first refusal.
    static func run(_ chunks: [UploadChunk], maxBatchBytes: UInt64 = 8 << 20) -> TrainingError? {
        do {
            var rules = try UploadStreamChecks(
                first: chunks[0],
                allowedTypes: ["zip"],
                maxBytes: 200 << 20,
                maxBatchBytes: maxBatchBytes
            )
            for chunk in chunks { _ = try rules.accept(chunk) }
            try rules.finish()
            return nil
        } catch {
            return error
        }
    }

    @Test(
        "The SDK's chunking passes for every size, with the default and the smallest message limit",
        arguments: [1, 1023, 1_048_575, 1_048_576, 1_048_577, 3_145_733, 8_388_608] as [UInt64]
    )
    func sdkStreamsPass(size: UInt64) {
        #expect(Self.run(Self.sdkChunks(size: size)) == nil)
        #expect(Self.run(Self.sdkChunks(size: size), maxBatchBytes: Self.mebibyte) == nil)
    }

    @Test("An empty message is refused, first or in the middle, naming the message")
    func emptyBatches() {
        let first = Self.run([Self.chunk(Data(), size: 10, number: 1, count: 2), Self.chunk(Data(count: 10), size: 10, number: 2, count: 2)])
        #expect(first?.code == .invalidArgument)
        #expect(first?.message.contains("Upload message 1 has no data") == true, "\(String(describing: first))")

        let middle = Self.run([
            Self.chunk(Data(count: 5), size: 10, number: 1, count: 3),
            Self.chunk(Data(), size: 10, number: 2, count: 3),
            Self.chunk(Data(count: 5), size: 10, number: 3, count: 3),
        ])
        #expect(middle?.message.contains("Upload message 2 has no data") == true, "\(String(describing: middle))")
    }

    @Test("More batches than bytes is refused at the first message, naming both fields")
    func moreBatchesThanBytes() {
        let refusal = #expect(throws: TrainingError.self) {
            try UploadStreamChecks(
                first: Self.chunk(Data(count: 1), size: 10, number: 1, count: 1_000_000_000),
                allowedTypes: [],
                maxBytes: nil
            )
        }
        #expect(refusal?.code == .invalidArgument)
        #expect(refusal?.message.contains("batch_count 1000000000 is larger than file_size 10") == true)
        // One batch per byte is the most a file_size allows, and it passes.
        let bytewise = (1...10).map { Self.chunk(Data(count: 1), size: 10, number: UInt64($0), count: 10) }
        #expect(Self.run(bytewise) == nil)
    }

    @Test("A batch count that needs batches larger than a message may carry is refused up front")
    func batchesLargerThanAMessage() {
        let size: UInt64 = 100 << 20
        let refusal = #expect(throws: TrainingError.self) {
            try UploadStreamChecks(
                first: Self.chunk(Data(count: 1 << 20), size: size, number: 1, count: 2),
                allowedTypes: [],
                maxBytes: nil,
                maxBatchBytes: 8 << 20
            )
        }
        #expect(refusal?.code == .invalidArgument)
        #expect(refusal?.message.contains("batch_count 2 with file_size 104857600") == true)
        #expect(refusal?.message.contains("at least 13 batches") == true, "\(String(describing: refusal?.message))")
        // 13 batches of 8 MiB (the last one shorter) are exactly enough.
        #expect(
            (try? UploadStreamChecks(
                first: Self.chunk(Data(count: 1 << 20), size: size, number: 1, count: 13),
                allowedTypes: [],
                maxBytes: nil,
                maxBatchBytes: 8 << 20
            )) != nil
        )
    }

    @Test("A stream whose remaining bytes cannot fill (or fit) the remaining batches is refused at once")
    func contradictionMidStream() {
        // 10 bytes in 5 batches: after 8 bytes in batch 1, 2 bytes are left for 4 batches.
        let starved = Self.run([Self.chunk(Data(count: 8), size: 10, number: 1, count: 5)])
        #expect(starved?.message.contains("2 bytes of file_size 10 are left for 4 more messages") == true, "\(String(describing: starved))")
        // 3 MiB in 3 batches of at most 1 MiB: a 1-byte first batch leaves too much for two messages.
        let size = 3 * Self.mebibyte
        let overfull = Self.run([Self.chunk(Data(count: 1), size: size, number: 1, count: 3)], maxBatchBytes: Self.mebibyte)
        #expect(overfull?.message.contains("more than messages of at most 1.00 MiB can carry") == true, "\(String(describing: overfull))")
    }

    @Test("A huge model id is quoted by a short prefix only")
    func longFieldsAreShortened() {
        let huge = String(repeating: "a", count: 64 << 10)
        var chunks = [Self.chunk(Data(count: 5), size: 10, number: 1, count: 2)]
        var other = Self.chunk(Data(count: 5), size: 10, number: 2, count: 2)
        other.modelID = huge
        chunks.append(other)
        let refusal = Self.run(chunks)
        #expect(refusal?.message.contains("one model's dataset per stream") == true)
        #expect((refusal?.message.utf8.count ?? .max) < 400)
    }

    /// The JavaScript SDK's messages for a file of `size` bytes: ⌈size / 1 MiB⌉ copies of the whole
    /// file, each with batch_number 0.
    static func javaScriptSDKChunks(_ data: Data) -> [UploadChunk] {
        let size = UInt64(data.count)
        let count = (size + mebibyte - 1) / mebibyte
        return Array(repeating: chunk(data, size: size, number: 0, count: count), count: Int(count))
    }

    @Test(
        "The JavaScript SDK's whole-file copies pass: the first is stored, the others only compared",
        arguments: [1, 1_048_576, 1_048_577, 3_145_733] as [Int]
    )
    func javaScriptSDKCopiesPass(size: Int) throws {
        let chunks = Self.javaScriptSDKChunks(Data((0..<size).map { UInt8(truncatingIfNeeded: $0 * 7) }))
        var rules = try UploadStreamChecks(first: chunks[0], allowedTypes: ["zip"], maxBytes: 200 << 20)
        #expect(rules.pattern == .wholeFileCopies)
        let dispositions = try chunks.map { try rules.accept($0) }
        #expect(dispositions == [.store] + Array(repeating: .duplicate, count: chunks.count - 1))
        try rules.finish()
        #expect(rules.receivedBytes == UInt64(size))
    }

    @Test("batch_number 0 with more copies than the JavaScript SDK sends is refused at the first message")
    func tooManyCopiesDeclared() {
        let data = Data(count: 10)
        let refusal = Self.run([Self.chunk(data, size: 10, number: 0, count: 2), Self.chunk(data, size: 10, number: 0, count: 2)])
        #expect(refusal?.code == .invalidArgument)
        #expect(refusal?.message.contains("more than the 1 whole-file copies the JavaScript SDK sends") == true, "\(String(describing: refusal))")
    }

    @Test("A numbered stream is unchanged: batch_number 0 after batch 1 is still a gap")
    func zeroAfterNumbered() {
        let refusal = Self.run([Self.chunk(Data(count: 5), size: 10, number: 1, count: 2), Self.chunk(Data(count: 10), size: 10, number: 0, count: 2)])
        #expect(refusal?.message.contains("Expected batch_number 2 but got 0") == true, "\(String(describing: refusal))")
    }
}
