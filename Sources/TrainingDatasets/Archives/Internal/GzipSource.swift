import CompressNIO
import NIOCore

/// The decompressed bytes of a gzip file (one or more members), streamed through a fixed buffer.
///
/// Ends cleanly only if the last member ends (its CRC and length verified by zlib) and nothing but
/// zero padding follows; otherwise throws ``ArchiveScanStop``.
final class GzipSource: ArchiveByteSource {
    private let file: FileRangeSource
    private var input: ByteBuffer
    private let decompressor: ZlibDecompressor
    private let ratioGuard: CompressionRatioGuard?
    private var inputEnded = false
    private var sentinelFed = false
    private var finished = false
    private(set) var compressedBytes: UInt64 = 0
    private(set) var uncompressedBytes: UInt64 = 0

    init(file: ArchiveFile, ratioGuard: CompressionRatioGuard?) throws {
        self.file = FileRangeSource(file: file)
        self.input = ByteBufferAllocator().buffer(capacity: InflateBuffers.chunkSize + 1)
        self.ratioGuard = ratioGuard
        do {
            self.decompressor = try ZlibDecompressor(algorithm: .gzip, windowSize: 15)
        } catch {
            throw ArchiveStorageError(message: "could not start decompressing the archive", cause: error)
        }
    }

    func read(into output: inout ByteBuffer) throws -> Bool {
        precondition(output.writableBytes > 0, "GzipSource needs room to write")
        while !self.finished {
            if self.input.readableBytes == 0 {
                try self.refill()
            }
            let inputBefore = self.input.readableBytes
            let outputBefore = output.writerIndex
            let step = try self.decompressor.step(from: &self.input, to: &output)
            let produced = output.writerIndex - outputBefore
            self.compressedBytes += UInt64(inputBefore - self.input.readableBytes)
            self.uncompressedBytes += UInt64(produced)
            try self.checkRatio()
            switch step {
            case .streamEnded:
                if self.sentinelFed {
                    // Only the sentinel is left: the last member ended exactly at the end of the file.
                    self.finished = true
                } else {
                    try self.startNextMemberOrFinish()
                }
            case .needsInput:
                if self.sentinelFed {
                    throw ArchiveScanStop.corrupt("the gzip data ends too early")
                }
            case .outputFull:
                break
            }
            if produced > 0 {
                return true
            }
        }
        return false
    }

    /// Loads more compressed bytes; at the end of the file, one sentinel byte that a finished stream
    /// leaves unread and an unfinished one swallows.
    private func refill() throws {
        self.input.clear()
        if !self.inputEnded, try self.file.read(into: &self.input) {
            return
        }
        self.inputEnded = true
        guard !self.sentinelFed else {
            throw ArchiveScanStop.corrupt("the gzip data ends too early")
        }
        self.input.writeInteger(UInt8(0))
        self.sentinelFed = true
    }

    private func startNextMemberOrFinish() throws {
        // Gzip allows several members back to back; tape tools may pad the file with zeros.
        while self.input.readableBytes < 2, !self.inputEnded {
            self.input.discardReadBytes()
            if try !self.file.read(into: &self.input) {
                self.inputEnded = true
            }
        }
        let view = self.input.readableBytesView
        if view.count >= 2, view[view.startIndex] == 0x1F, view[view.startIndex + 1] == 0x8B {
            do {
                try self.decompressor.reset()
            } catch {
                throw ArchiveStorageError(message: "could not restart decompressing the archive", cause: error)
            }
            return
        }
        while true {
            guard self.input.readableBytesView.allSatisfy({ $0 == 0 }) else {
                throw ArchiveScanStop.corrupt("unexpected data follows the end of the gzip stream")
            }
            self.input.clear()
            guard !self.inputEnded, try self.file.read(into: &self.input) else { break }
        }
        self.inputEnded = true
        self.finished = true
    }

    private func checkRatio() throws {
        guard let ratioGuard = self.ratioGuard,
            let ratio = ratioGuard.excessiveRatio(
                uncompressed: self.uncompressedBytes,
                compressed: self.compressedBytes
            )
        else { return }
        throw ArchiveScanStop(
            ratioGuard.reason(
                uncompressed: self.uncompressedBytes,
                compressed: self.compressedBytes,
                ratio: ratio,
                what: "the gzip data"
            )
        )
    }
}
