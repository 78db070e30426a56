import TrainingCore
public import TrainingDatasets
public import TrainingProto

extension ModelStatus {
    var proto: Training_Status { Training_Status(rawValue: wireNumber) ?? .UNRECOGNIZED(wireNumber) }
}

extension UploadChunk {
    /// The domain view of one `upload_and_validate` message.
    public init(_ message: Training_UploadInput) {
        self.init(
            modelID: message.modelID,
            data: message.data,
            fileName: message.fileName,
            fileSize: message.fileSize,
            batchSize: message.batchSize,
            batchNumber: message.batchNumber,
            batchCount: message.batchCount
        )
    }
}

extension Training_StatusResponse {
    init(_ status: ModelStatus) {
        self.init()
        self.status = status.proto
    }
}
