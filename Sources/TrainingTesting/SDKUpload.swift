public import Foundation
public import GRPCCore
public import TrainingProto

/// Uploads a dataset file exactly as the SingularityNET SDK does (CONTRACT.md): 1 MiB pieces, each
/// with model_id, file_name (base name), file_size (whole file), batch_size, batch_number (from 1)
/// and batch_count. Reads the file piece by piece; never the whole file.
public enum SDKUpload {
    public static let batchSize = 1 << 20

    public static func messages(file: URL, modelID: String, batchSize: Int = batchSize) throws -> UploadMessages {
        let size = try FileManager.default.attributesOfItem(atPath: file.path(percentEncoded: false))[.size] as? UInt64 ?? 0
        return UploadMessages(file: file, modelID: modelID, fileSize: size, batchSize: batchSize)
    }

    public static func upload<Transport: ClientTransport>(
        file: URL,
        modelID: String,
        client: Training_Model.Client<Transport>,
        batchSize: Int = batchSize
    ) async throws -> Training_StatusResponse {
        let messages = try messages(file: file, modelID: modelID, batchSize: batchSize)
        return try await client.upload_and_validate { writer in
            for try await message in messages { try await writer.write(message) }
        }
    }

    /// The stream of `UploadInput` messages for one file.
    public struct UploadMessages: AsyncSequence, Sendable {
        public typealias Element = Training_UploadInput
        let file: URL
        let modelID: String
        let fileSize: UInt64
        let batchSize: Int

        public var batchCount: UInt64 { Swift.max(1, (fileSize + UInt64(batchSize) - 1) / UInt64(batchSize)) }

        public func makeAsyncIterator() -> Iterator {
            Iterator(sequence: self, handle: FileHandle(forReadingAtPath: file.path(percentEncoded: false)))
        }

        public struct Iterator: AsyncIteratorProtocol {
            let sequence: UploadMessages
            let handle: FileHandle?
            var number: UInt64 = 0

            public mutating func next() async throws -> Training_UploadInput? {
                guard number < sequence.batchCount, let handle else { return nil }
                let data = try handle.read(upToCount: sequence.batchSize) ?? Data()
                number += 1
                var message = Training_UploadInput()
                message.modelID = sequence.modelID
                message.data = data
                message.fileName = sequence.file.lastPathComponent
                message.fileSize = sequence.fileSize
                message.batchSize = UInt64(sequence.batchSize)
                message.batchNumber = number
                message.batchCount = sequence.batchCount
                return message
            }
        }
    }
}
