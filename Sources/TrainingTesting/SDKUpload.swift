public import Foundation
public import GRPCCore
public import TrainingClient
public import TrainingProto

/// Uploads a dataset file exactly as the SingularityNET SDK does (CONTRACT.md), through the one
/// implementation of the SDK's chunking, `TrainingClient`'s ``DatasetUpload``: 1 MiB pieces, each
/// with model_id, file_name (base name), file_size (whole file), batch_size, batch_number (from 1)
/// and batch_count, read from the file piece by piece.
public enum SDKUpload {
    public static func upload<Transport: ClientTransport>(
        file: URL,
        modelID: String,
        client: Training_Model.Client<Transport>,
        batchSize: Int = DatasetUpload.sdkBatchSize
    ) async throws -> Training_StatusResponse {
        let messages = try DatasetUpload(file: file, batchSize: batchSize).messages(modelID: modelID)
        return try await client.upload_and_validate { writer in
            for try await message in messages { try await writer.write(message) }
        }
    }
}
