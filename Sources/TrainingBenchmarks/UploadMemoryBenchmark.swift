import Foundation
import GRPCCore
import SNETTraining
import SwiftProtobuf
import TrainingProto
import TrainingTesting

/// Uploads a 10 MiB and a 1 GiB dataset over gRPC on loopback, SDK-style, to an in-process server
/// and reports the process's peak resident memory during each upload and the throughput, next to
/// a baseline measured in the same run: writing the same bytes straight to a file.
///
/// The claim under test: the server streams uploads to disk, so its memory does not grow with the
/// size of the dataset (the 1 GiB peak is close to the 10 MiB peak, not 100 times it).
struct UploadMemoryBenchmark {
    let sizes: [(label: String, bytes: Int)]

    func run() async throws {
        let scratch = FileManager.default.temporaryDirectory.appending(path: "upload-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }

        let server = try await LiveTrainingServer.start(dataDirectory: scratch.appending(path: "data")) { configuration, logger in
            // No dataset size limit for this benchmark; the upload path is what is measured.
            try await TextLabelService.makeServer(configuration: configuration, logger: logger, maxDatasetMB: 0)
        }
        print("| dataset | peak RSS during upload | RSS growth over idle | upload MiB/s | direct file write MiB/s | upload / direct |")
        print("| --- | --- | --- | --- | --- | --- |")
        for (label, bytes) in sizes {
            let file = scratch.appending(path: "\(label).zip")
            try makeSparseFile(at: file, bytes: bytes)
            let direct = try measureDirectWrite(of: file, to: scratch.appending(path: "copy"))
            try await server.withClient { grpc in
                let client = Training_Model.Client(wrapping: grpc)
                let id = try await client.create_model(.with {
                    $0.grpcServiceName = "service.ExampleService"
                    $0.grpcMethodName = "stt"
                }).modelID
                let idle = ProcessMemory.residentBytes()
                ProcessMemory.resetPeak()
                let started = ContinuousClock.now
                _ = try await SDKUpload.upload(file: file, modelID: id, client: client)
                let seconds = (ContinuousClock.now - started).timeInterval
                let peak = ProcessMemory.peakResidentBytes()
                let rate = Double(bytes) / 1_048_576 / seconds
                print(
                    "| \(label) | \(mib(peak)) | \(mib(max(0, peak - idle))) | \(format(rate)) | \(format(direct)) | \(String(format: "%.2f", rate / direct)) |"
                )
                _ = try await client.delete_model(.with { $0.modelID = id })
            }
            try FileManager.default.removeItem(at: file)
        }
        try await server.stop()
    }

    private func makeSparseFile(at url: URL, bytes: Int) throws {
        _ = FileManager.default.createFile(atPath: url.path(percentEncoded: false), contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: UInt64(bytes))
        try handle.close()
    }

    /// MiB/s of reading `source` in 1 MiB pieces and writing them to `destination`: the floor any
    /// upload path that stores the bytes has to pay.
    private func measureDirectWrite(of source: URL, to destination: URL) throws -> Double {
        _ = FileManager.default.createFile(atPath: destination.path(percentEncoded: false), contents: nil)
        let input = try FileHandle(forReadingFrom: source)
        let output = try FileHandle(forWritingTo: destination)
        let started = ContinuousClock.now
        var total = 0
        while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
            try output.write(contentsOf: chunk)
            total += chunk.count
        }
        try output.synchronize()
        let seconds = (ContinuousClock.now - started).timeInterval
        try input.close()
        try output.close()
        try FileManager.default.removeItem(at: destination)
        return Double(total) / 1_048_576 / seconds
    }

    private func mib(_ bytes: Int) -> String { "\(format(Double(bytes) / 1_048_576)) MiB" }
    private func format(_ value: Double) -> String { String(format: "%.1f", value) }
}
