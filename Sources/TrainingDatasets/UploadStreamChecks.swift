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
/// A value with `mutating` moves: the handler feeds it each chunk and writes the chunk's bytes only
/// after it is accepted.
public struct UploadStreamChecks: Sendable {
    public let modelID: String
    public let fileName: String
    public let fileSize: UInt64
    public let batchCount: UInt64
    public private(set) var receivedBytes: UInt64 = 0
    public private(set) var lastBatch: UInt64 = 0
    private let maxBytes: UInt64?
    private let maxBatchBytes: UInt64

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
        if let maxBytes, chunk.fileSize > maxBytes {
            throw .resourceExhausted(
                "The dataset is \(chunk.fileSize.mebibytesForMessage) but this method accepts at most \(maxBytes.mebibytesForMessage) (dataset_max_size_mb). Upload a smaller dataset."
            )
        }
        guard chunk.batchCount > 0 else {
            throw .invalidArgument("batch_count is 0. Set batch_count to the number of messages in the stream.")
        }
        try Self.checkBatchCount(chunk.batchCount, fileSize: chunk.fileSize, maxBatchBytes: maxBatchBytes)
        self.modelID = chunk.modelID
        self.fileName = chunk.fileName
        self.fileSize = chunk.fileSize
        self.batchCount = chunk.batchCount
        self.maxBytes = maxBytes
        self.maxBatchBytes = max(1, maxBatchBytes)
    }

    /// Checks one chunk (the first one too) and counts its bytes.
    public mutating func accept(_ chunk: UploadChunk) throws(TrainingError) {
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
    }

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
        guard receivedBytes == fileSize else {
            throw .invalidArgument("The upload ended after \(receivedBytes) of \(fileSize) bytes (file_size). Send the whole file, then retry.")
        }
        guard lastBatch == batchCount else {
            throw .invalidArgument("The upload ended after batch \(lastBatch) of \(batchCount) (batch_count). Send every batch, then retry.")
        }
    }

    static func checkFileName(_ name: String, allowedTypes: [String]) throws(TrainingError) {
        guard !name.isEmpty else {
            throw .invalidArgument("file_name is empty. Set file_name to the dataset file's name, e.g. dataset.zip.")
        }
        guard !name.contains("/"), !name.contains("\\"), name != ".", name != "..", !name.contains("\0") else {
            throw .invalidArgument("file_name '\(quoted(name))' contains a path. Send only the file's base name, e.g. dataset.zip.")
        }
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
