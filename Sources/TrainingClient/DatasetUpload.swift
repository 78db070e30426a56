public import Foundation
import TrainingCore
public import TrainingProto

/// One dataset file, cut into `upload_and_validate` messages exactly as the SingularityNET SDK cuts
/// it (CONTRACT.md): 1 MiB pieces, each carrying model_id, the data, file_name (the base name),
/// file_size (the whole file), batch_size, batch_number (from 1) and batch_count. The file is read
/// one piece at a time, never whole, so a dataset of any size uploads in constant memory.
///
/// ```swift
/// let upload = try DatasetUpload(file: URL(filePath: "words.zip"))
/// let status = try await models.upload(upload, modelID: id) { progress in print(progress.sentBytes) }
/// ```
public struct DatasetUpload: Sendable {
    /// The SDK's batch size.
    public static let sdkBatchSize = 1 << 20

    public let file: URL
    /// The file's size when the upload was prepared; every message states it.
    public let fileSize: UInt64
    public let batchSize: Int

    /// Reads the file's size. Throws when the file is missing, unreadable or not a regular file.
    public init(file: URL, batchSize: Int = sdkBatchSize) throws {
        precondition(batchSize > 0, "batchSize must be positive")
        let path = file.path(percentEncoded: false)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        guard attributes[.type] as? FileAttributeType == .typeRegular else {
            throw CocoaError(.fileReadUnsupportedScheme, userInfo: [NSFilePathErrorKey: path])
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw CocoaError(.fileReadNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        self.file = file
        self.fileSize = (attributes[.size] as? NSNumber)?.uint64Value ?? 0
        self.batchSize = batchSize
    }

    /// The file name the messages carry: the base name, as the SDK sends it.
    public var fileName: String { file.lastPathComponent }

    /// ⌈file_size / batch_size⌉; at least 1, so that an empty file still makes one (empty) message
    /// the server can refuse with a reason.
    public var batchCount: UInt64 {
        Swift.max(1, (fileSize + UInt64(batchSize) - 1) / UInt64(batchSize))
    }

    /// The stream of messages for `modelID`.
    public func messages(modelID: String) -> Messages {
        Messages(upload: self, modelID: modelID)
    }

    /// The `UploadInput` messages of one upload, read from the file as they are consumed.
    public struct Messages: AsyncSequence, Sendable {
        public typealias Element = Training_UploadInput
        let upload: DatasetUpload
        let modelID: String

        public func makeAsyncIterator() -> Iterator {
            Iterator(upload: upload, modelID: modelID)
        }

        public struct Iterator: AsyncIteratorProtocol {
            let upload: DatasetUpload
            let modelID: String
            var handle: FileHandle?
            var number: UInt64 = 0

            init(upload: DatasetUpload, modelID: String) {
                self.upload = upload
                self.modelID = modelID
            }

            public mutating func next() async throws -> Training_UploadInput? {
                guard number < upload.batchCount else {
                    try handle?.close()
                    handle = nil
                    return nil
                }
                if handle == nil { handle = try FileHandle(forReadingFrom: upload.file) }
                let data = try handle?.read(upToCount: upload.batchSize) ?? Data()
                number += 1
                var message = Training_UploadInput()
                message.modelID = modelID
                message.data = data
                message.fileName = upload.fileName
                message.fileSize = upload.fileSize
                message.batchSize = UInt64(upload.batchSize)
                message.batchNumber = number
                message.batchCount = upload.batchCount
                return message
            }
        }
    }
}

/// How far an upload has got, reported after each message is handed to the transport.
public struct UploadProgress: Sendable, Hashable {
    public var sentBytes: UInt64
    public var totalBytes: UInt64
    public var batchNumber: UInt64
    public var batchCount: UInt64
    /// Time since the first message was sent.
    public var elapsed: Duration

    public init(sentBytes: UInt64, totalBytes: UInt64, batchNumber: UInt64, batchCount: UInt64, elapsed: Duration) {
        self.sentBytes = sentBytes
        self.totalBytes = totalBytes
        self.batchNumber = batchNumber
        self.batchCount = batchCount
        self.elapsed = elapsed
    }

    /// Bytes per second so far, or nil before any time has passed.
    public var bytesPerSecond: Double? {
        let seconds = elapsed.timeInterval
        return seconds > 0 ? Double(sentBytes) / seconds : nil
    }

    /// Estimated time left at the rate so far, or nil when unknown.
    public var estimatedRemaining: Duration? {
        guard let rate = bytesPerSecond, rate > 0, totalBytes >= sentBytes else { return nil }
        return .milliseconds(Int64((Double(totalBytes - sentBytes) / rate * 1000).rounded()))
    }
}
