import Crypto
import Foundation
public import TrainingCore

/// The rules an `upload_and_validate` stream must follow, checked chunk by chunk before any byte is
/// written: one model id, one file name, size and batch count throughout; batches numbered 1, 2, 3 …
/// up to batch_count, none of them empty; no more bytes than file_size; nothing over the method's
/// size limit; a batch_count that file_size can need (at most one batch per byte, and no batch
/// larger than the largest message the transport accepts).
///
/// The SDK sends 1 MiB batches, numbered from 1, with batch_count = ⌈file_size / 1 MiB⌉
/// (CONTRACT.md), which every rule here accepts. The rules bound what a stream can cost: with no
/// empty batch, a stream has at most file_size messages, and it is refused as soon as its numbers
/// contradict each other, not after the last message.
///
/// One other pattern is accepted, because it is unambiguous: the JavaScript SDK (snet-sdk-js-core
/// 0.1.8, `TrainingProvider.uploadAndValidateModel`) sends batch_count messages that each carry the
/// whole file with batch_number 0. The first message's bytes are stored; every other message must
/// be an identical copy (same length and SHA-256, compared one message at a time, never held
/// together) and is not stored again. Any other use of batch_number 0 is refused, naming the pattern.
///
/// A value with `mutating` moves: the handler feeds it each chunk and writes the chunk's bytes only
/// when ``accept(_:)`` answers ``Disposition/store``.
public struct UploadStreamChecks: Sendable {
    /// What to do with an accepted chunk's bytes.
    public enum Disposition: Sendable, Equatable {
        /// Write them: they are the next part of the file.
        case store
        /// Drop them: an identical copy of the whole file, already stored.
        case duplicate
    }

    /// How the stream splits the file.
    public enum Pattern: Sendable, Equatable {
        /// Batches numbered 1, 2, 3 … that together make the file (the Python SDK, snet-train).
        case numberedBatches
        /// batch_count messages that each carry the whole file with batch_number 0 (the JavaScript SDK).
        case wholeFileCopies
    }

    public let modelID: String
    public let fileName: String
    public let fileSize: UInt64
    public let batchCount: UInt64
    public let pattern: Pattern
    public private(set) var receivedBytes: UInt64 = 0
    public private(set) var lastBatch: UInt64 = 0
    /// Messages accepted so far.
    public private(set) var messageCount: UInt64 = 0
    /// The SHA-256 of the first whole-file copy, which the others must match.
    private var firstCopyDigest: SHA256.Digest?
    private let maxBytes: UInt64?
    private let maxBatchBytes: UInt64

    /// How the JavaScript SDK's messages are described in refusals.
    static let copiesPatternName =
        "whole-file copies (the JavaScript SDK's upload: batch_count messages, each carrying the whole file with batch_number 0)"

    /// The largest request message the server accepts by default (`server.maxRequestMessageBytes`).
    public static let defaultMaxBatchBytes: UInt64 = 8 << 20

    /// Checks the stream's first chunk. `allowedTypes` is the method's `dataset_type` list (empty:
    /// any), `maxBytes` its `dataset_max_size_mb` in bytes, `maxBatchBytes` the largest request
    /// message the transport accepts (no batch can be larger).
    public init(
        first chunk: UploadChunk,
        allowedTypes: [String],
        maxBytes: UInt64?,
        maxBatchBytes: UInt64 = UploadStreamChecks.defaultMaxBatchBytes
    ) throws(TrainingError) {
        guard !chunk.modelID.isEmpty else {
            throw .invalidArgument("The first upload message has no model_id. Set model_id on every message of the stream.")
        }
        try Self.checkFileName(chunk.fileName, allowedTypes: allowedTypes)
        guard chunk.fileSize > 0 else {
            throw .invalidArgument("file_size is 0. Set file_size to the size of the whole file in bytes on every message.")
        }
        try Self.checkDeclaredSize(chunk.fileSize, maxBytes: maxBytes)
        guard chunk.batchCount > 0 else {
            throw .invalidArgument("batch_count is 0. Set batch_count to the number of messages in the stream.")
        }
        if chunk.batchNumber == 0 {
            try Self.checkCopiesPattern(first: chunk)
            self.pattern = .wholeFileCopies
        } else {
            try Self.checkBatchCount(chunk.batchCount, fileSize: chunk.fileSize, maxBatchBytes: maxBatchBytes)
            self.pattern = .numberedBatches
        }
        self.modelID = chunk.modelID
        self.fileName = chunk.fileName
        self.fileSize = chunk.fileSize
        self.batchCount = chunk.batchCount
        self.maxBytes = maxBytes
        self.maxBatchBytes = max(1, maxBatchBytes)
    }

    /// Checks one chunk (the first one too), counts its bytes, and says whether to store them.
    public mutating func accept(_ chunk: UploadChunk) throws(TrainingError) -> Disposition {
        guard chunk.modelID == modelID else {
            throw .invalidArgument(
                "Upload message \(chunk.batchNumber) is for model '\(Self.quoted(chunk.modelID))' but the stream started with model '\(Self.quoted(modelID))'. Send one model's dataset per stream."
            )
        }
        guard chunk.fileName == fileName, chunk.fileSize == fileSize, chunk.batchCount == batchCount else {
            throw .invalidArgument(
                "file_name, file_size and batch_count changed in the middle of the upload (message \(chunk.batchNumber)). Keep them the same on every message of one upload."
            )
        }
        if pattern == .wholeFileCopies { return try acceptCopy(chunk) }
        guard chunk.batchNumber == lastBatch + 1 else {
            throw .invalidArgument(
                "Expected batch_number \(lastBatch + 1) but got \(chunk.batchNumber). Number the messages 1, 2, 3 … without gaps or repeats.")
        }
        guard chunk.batchNumber <= batchCount else {
            throw .invalidArgument("batch_number \(chunk.batchNumber) is greater than batch_count \(batchCount).")
        }
        guard !chunk.data.isEmpty else {
            throw .invalidArgument("Upload message \(chunk.batchNumber) has no data. Send the file in batch_count messages that each carry part of it.")
        }
        let (total, overflow) = receivedBytes.addingReportingOverflow(UInt64(chunk.data.count))
        if let maxBytes, overflow || total > maxBytes {
            throw .resourceExhausted(
                "The upload exceeded this method's limit of \(maxBytes.mebibytesForMessage) (dataset_max_size_mb). Upload a smaller dataset.")
        }
        guard !overflow, total <= fileSize else {
            throw .invalidArgument("The upload sent more bytes than its file_size of \(fileSize). Set file_size to the size of the whole file.")
        }
        // Every batch still to come needs at least one byte and at most one message's worth.
        let batchesLeft = batchCount - chunk.batchNumber
        let bytesLeft = fileSize - total
        guard bytesLeft >= batchesLeft else {
            throw .invalidArgument(
                "After message \(chunk.batchNumber), \(bytesLeft) bytes of file_size \(fileSize) are left for \(batchesLeft) more messages (batch_count \(batchCount)); every message must carry data. Send batch_count = ⌈file_size / batch_size⌉."
            )
        }
        let (capacity, capacityOverflows) = batchesLeft.multipliedReportingOverflow(by: maxBatchBytes)
        guard capacityOverflows || bytesLeft <= capacity else {
            throw .invalidArgument(
                "After message \(chunk.batchNumber), \(bytesLeft) bytes of file_size \(fileSize) are left for \(batchesLeft) more messages (batch_count \(batchCount)), more than messages of at most \(maxBatchBytes.mebibytesForMessage) can carry. Send batch_count = ⌈file_size / batch_size⌉."
            )
        }
        receivedBytes = total
        lastBatch = chunk.batchNumber
        messageCount += 1
        return .store
    }

    /// A message of the whole-file-copies pattern: the first is stored, the others must be the same
    /// bytes (length, then SHA-256 of this one message against the first's).
    private mutating func acceptCopy(_ chunk: UploadChunk) throws(TrainingError) -> Disposition {
        let number = messageCount + 1
        guard chunk.batchNumber == 0 else {
            throw .invalidArgument(
                "Upload message \(number) has batch_number \(chunk.batchNumber), but the stream started as \(Self.copiesPatternName). Keep batch_number 0 on every message, or number the batches 1, 2, 3 … from the first message."
            )
        }
        guard number <= batchCount else {
            throw .invalidArgument(
                "The upload sent more than batch_count \(batchCount) messages of \(Self.copiesPatternName). Send exactly batch_count messages."
            )
        }
        guard UInt64(chunk.data.count) == fileSize else {
            throw .invalidArgument(
                "Upload message \(number) carries \(chunk.data.count) bytes, but the stream started as \(Self.copiesPatternName), so every message must carry all \(fileSize) bytes (file_size). Send the whole file in each message, or number the batches 1, 2, 3 …"
            )
        }
        let digest = SHA256.hash(data: chunk.data)
        messageCount = number
        guard let firstCopyDigest else {
            firstCopyDigest = digest
            receivedBytes = fileSize
            return .store
        }
        guard digest == firstCopyDigest else {
            throw .invalidArgument(
                "Upload message \(number) differs from message 1, but the stream started as \(Self.copiesPatternName), so every message must be an identical copy. Send the same file in each message, or number the batches 1, 2, 3 …"
            )
        }
        return .duplicate
    }

    /// The first message of a stream with batch_number 0: only the whole-file-copies pattern uses it,
    /// and only with batch_count ⌈file_size / 1 MiB⌉ at most (the JavaScript SDK's count), which
    /// bounds the stream to a few copies of a file that fits in one message.
    static func checkCopiesPattern(first chunk: UploadChunk) throws(TrainingError) {
        guard UInt64(chunk.data.count) == chunk.fileSize else {
            throw .invalidArgument(
                "Upload message 1 has batch_number 0 and carries \(chunk.data.count) of \(chunk.fileSize) bytes (file_size). batch_number 0 is accepted only as \(copiesPatternName). Number the batches 1, 2, 3 … instead (the Python SDK and snet-train do)."
            )
        }
        let sdkCount = chunk.fileSize / copiesBatchBytes + (chunk.fileSize % copiesBatchBytes == 0 ? 0 : 1)
        guard chunk.batchCount <= sdkCount else {
            throw .invalidArgument(
                "batch_count \(chunk.batchCount) is more than the \(sdkCount) whole-file copies the JavaScript SDK sends for \(chunk.fileSize) bytes (one per MiB). In \(copiesPatternName), send batch_count = ⌈file_size / 1 MiB⌉ copies, or number the batches 1, 2, 3 …"
            )
        }
    }

    /// The JavaScript SDK's batch_size: it sends one whole-file copy per MiB of the file.
    static let copiesBatchBytes: UInt64 = 1 << 20

    /// A batch_count that file_size and the transport's largest message rule out, refused before any
    /// byte is stored.
    static func checkBatchCount(_ batchCount: UInt64, fileSize: UInt64, maxBatchBytes: UInt64) throws(TrainingError) {
        guard batchCount <= fileSize else {
            throw .invalidArgument(
                "batch_count \(batchCount) is larger than file_size \(fileSize): every message carries at least one byte. Send batch_count = ⌈file_size / batch_size⌉ (the SDK sends 1 MiB batches)."
            )
        }
        let largest = max(1, maxBatchBytes)
        let needed = fileSize / largest + (fileSize % largest == 0 ? 0 : 1)
        guard batchCount >= needed else {
            throw .invalidArgument(
                "batch_count \(batchCount) with file_size \(fileSize) needs batches larger than the \(largest.mebibytesForMessage) a message may carry; at least \(needed) batches are needed. Send batch_count = ⌈file_size / batch_size⌉ (the SDK sends 1 MiB batches)."
            )
        }
    }

    /// Checks the stream once it has ended.
    public func finish() throws(TrainingError) {
        if pattern == .wholeFileCopies {
            guard messageCount == batchCount else {
                throw .invalidArgument(
                    "The upload ended after \(messageCount) of batch_count \(batchCount) messages of \(Self.copiesPatternName). Send every message, then retry."
                )
            }
            return
        }
        guard receivedBytes == fileSize else {
            throw .invalidArgument("The upload ended after \(receivedBytes) of \(fileSize) bytes (file_size). Send the whole file, then retry.")
        }
        guard lastBatch == batchCount else {
            throw .invalidArgument("The upload ended after batch \(lastBatch) of \(batchCount) (batch_count). Send every batch, then retry.")
        }
    }

    /// A declared file_size over the method's `dataset_max_size_mb`.
    public static func checkDeclaredSize(_ fileSize: UInt64, maxBytes: UInt64?) throws(TrainingError) {
        if let maxBytes, fileSize > maxBytes {
            throw .resourceExhausted(
                "The dataset is \(fileSize.mebibytesForMessage) but this method accepts at most \(maxBytes.mebibytesForMessage) (dataset_max_size_mb). Upload a smaller dataset."
            )
        }
    }

    static func checkFileName(_ name: String, allowedTypes: [String]) throws(TrainingError) {
        try checkFileNameForm(name)
        try checkDatasetType(of: name, allowedTypes: allowedTypes)
    }

    /// A file_name that is a base name.
    public static func checkFileNameForm(_ name: String) throws(TrainingError) {
        guard !name.isEmpty else {
            throw .invalidArgument("file_name is empty. Set file_name to the dataset file's name, e.g. dataset.zip.")
        }
        guard !name.contains("/"), !name.contains("\\"), name != ".", name != "..", !name.contains("\0") else {
            throw .invalidArgument("file_name '\(quoted(name))' contains a path. Send only the file's base name, e.g. dataset.zip.")
        }
    }

    /// A file_name whose extension is one of the method's `dataset_type` list (empty: any).
    public static func checkDatasetType(of name: String, allowedTypes: [String]) throws(TrainingError) {
        guard allowedTypes.isEmpty || allowedTypes.contains(where: { name.lowercased().hasSuffix("." + $0) }) else {
            throw .invalidArgument(
                "'\(quoted(name))' is not an accepted dataset type. This method accepts: \(allowedTypes.joined(separator: ", ")) (dataset_type).")
        }
    }

    /// Caller input in a message: at most a short prefix, so that a huge field cannot make the error
    /// itself too large for the consumer's client.
    static func quoted(_ text: String, limit: Int = 64) -> String {
        text.count <= limit ? text : text.prefix(limit) + "… (\(text.utf8.count) bytes)"
    }
}
