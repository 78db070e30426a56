import SwiftProtobuf
import Foundation
import SNETTraining
import GRPCCore
import TrainingProto
import TrainingTesting

/// `upload_and_validate` of a dataset in SDK chunks (1 MiB messages, digest and limit checks on),
/// with the server's HTTP/2 settings (``HTTP2Settings/defaults``) against the transport's own
/// defaults and against a plain file copy on the same disk; the server's resident memory at its
/// peak during each upload.
struct UploadBenchmark: Benchmark {
    let title = "Uploads in SDK chunks: MiB/s and server memory, against default transport settings and a file copy"

    func run(_ context: BenchmarkContext) async throws {
        let sizes = context.quick ? [1 << 20, 8 << 20] : [100 << 20, 1 << 30]
        let files = try context.directory("upload-files")
        defer { try? FileManager.default.removeItem(at: files) }
        let tuned = try context.startServer(.training, http2: .defaults)
        defer { tuned.stop() }
        let standard = try context.startServer(.training, http2: .transportDefaults)
        defer { standard.stop() }

        print(
            Formatting.header([
                "dataset", "file copy MiB/s", "default settings MiB/s", "server MiB/s", "server / default settings",
                "server / file copy", "server RSS idle", "server RSS peak", "peak growth",
            ]))
        for bytes in sizes {
            let file = files.appending(path: "dataset-\(bytes).zip")
            try Self.makeFile(at: file, bytes: bytes)
            let copy = try Self.copyRate(of: file, to: files.appending(path: "copy"))
            let slow = try await Self.upload(file, bytes: bytes, to: standard)
            let fast = try await Self.upload(file, bytes: bytes, to: tuned)
            print(
                Formatting.row([
                    Formatting.size(bytes), Formatting.fixed(copy), Formatting.fixed(slow.rate), Formatting.fixed(fast.rate),
                    Formatting.ratio(fast.rate / slow.rate), Formatting.ratio(fast.rate / copy),
                    Formatting.mib(fast.idle), Formatting.mib(fast.peak), Formatting.signedMiB(fast.peak - fast.idle),
                ]))
            try FileManager.default.removeItem(at: file)
        }
    }

    /// MiB/s of one SDK upload to `server`, and the server's resident memory before and at its peak.
    private static func upload(_ file: URL, bytes: Int, to server: ServerProcess) async throws -> (rate: Double, idle: Int, peak: Int) {
        try await BenchmarkClient.with(port: server.port) { client in
            let id = try await BenchmarkClient.createModel(client)
            let idle = server.memory.residentBytes()
            server.memory.resetPeak()
            let seconds = try await LoadRunner.time {
                _ = try await SDKUpload.upload(file: file, modelID: id, client: client)
            }
            let peak = server.memory.peakResidentBytes()
            // Free the disk again (the dataset file is kept until the model is deleted).
            _ = try? await client.delete_model(.with { $0.modelID = id })
            return (Double(bytes) / 1_048_576 / seconds, idle, peak)
        }
    }

    /// A file of `bytes` random-looking bytes (written once, then served from the page cache to
    /// every reader alike), so nothing along the way gets to skip work on zeros.
    private static func makeFile(at url: URL, bytes: Int) throws {
        _ = FileManager.default.createFile(atPath: url.path(percentEncoded: false), contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        var generator = SystemRandomNumberGenerator()
        var block = [UInt8](repeating: 0, count: 1 << 20)
        for index in block.indices { block[index] = UInt8.random(in: 0...255, using: &generator) }
        // A zip's first bytes, so the server takes the upload to its end (it refuses, while the
        // stream flows, a file whose first bytes start no archive).
        let zipMagic: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
        try handle.write(contentsOf: zipMagic)
        var written = zipMagic.count
        while written < bytes {
            let count = min(block.count, bytes - written)
            block[0] &+= 1  // no two blocks alike
            try handle.write(contentsOf: block[0..<count])
            written += count
        }
        try handle.close()
    }

    /// MiB/s of reading `source` in 1 MiB pieces and writing them to `destination`, flushed to disk:
    /// the floor any upload path that stores the bytes has to pay.
    static func copyRate(of source: URL, to destination: URL) throws -> Double {
        _ = FileManager.default.createFile(atPath: destination.path(percentEncoded: false), contents: nil)
        let input = try FileHandle(forReadingFrom: source)
        let output = try FileHandle(forWritingTo: destination)
        var total = 0
        let seconds = try LoadRunner.time {
            while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty {
                try output.write(contentsOf: chunk)
                total += chunk.count
            }
            try output.synchronize()
        }
        try input.close()
        try output.close()
        try FileManager.default.removeItem(at: destination)
        return Double(total) / 1_048_576 / seconds
    }
}
