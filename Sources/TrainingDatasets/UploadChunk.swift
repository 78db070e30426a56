public import Foundation

/// One `training.UploadInput` message, without the proto dependency.
public struct UploadChunk: Sendable {
    public var modelID: String
    public var data: Data
    public var fileName: String
    public var fileSize: UInt64
    public var batchSize: UInt64
    public var batchNumber: UInt64
    public var batchCount: UInt64

    public init(modelID: String, data: Data, fileName: String, fileSize: UInt64, batchSize: UInt64, batchNumber: UInt64, batchCount: UInt64) {
        self.modelID = modelID
        self.data = data
        self.fileName = fileName
        self.fileSize = fileSize
        self.batchSize = batchSize
        self.batchNumber = batchNumber
        self.batchCount = batchCount
    }
}
