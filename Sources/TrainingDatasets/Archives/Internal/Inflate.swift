import CompressNIO
import NIOCore

/// What one call to zlib's `inflate` achieved.
enum InflateStep {
    /// The compressed stream has ended and input is left over (zlib's `Z_STREAM_END`).
    case streamEnded
    /// All input was used; more is needed (or the stream ended exactly at the end of the input,
    /// which the next call, or a sentinel byte, tells apart).
    case needsInput
    /// The output buffer is full.
    case outputFull
}

extension ZlibDecompressor {
    /// Inflates from `input` into the writable space of `output` (which must have some).
    ///
    /// - Throws: ``ArchiveScanStop`` when the data is corrupt.
    func step(from input: inout ByteBuffer, to output: inout ByteBuffer) throws -> InflateStep {
        let inputBefore = input.readableBytes
        let outputBefore = output.writerIndex
        do {
            try self.inflate(from: &input, to: &output)
            return input.readableBytes > 0 ? .streamEnded : .needsInput
        } catch let error as CompressNIOError where error == .bufferOverflow {
            // zlib also reports "no progress possible" this way; with room on both sides that only
            // happens on broken data, and retrying would spin forever.
            if output.writableBytes > 0, input.readableBytes == inputBefore, output.writerIndex == outputBefore {
                throw ArchiveScanStop.corrupt("the compressed data is damaged")
            }
            return .outputFull
        } catch let error as CompressNIOError where error == .inputBufferOverflow {
            return .needsInput
        } catch let error as CompressNIOError where error == .noMoreMemory {
            throw ArchiveStorageError(message: "out of memory while decompressing the archive", cause: error)
        } catch {
            throw ArchiveScanStop.corrupt("the compressed data is damaged")
        }
    }
}

/// Buffers reused across entries, so a scan allocates its I/O memory once.
struct InflateBuffers {
    static let chunkSize = 64 * 1024

    var input: ByteBuffer
    var output: ByteBuffer

    init() {
        let allocator = ByteBufferAllocator()
        // One spare byte in the input for the end-of-stream sentinel.
        self.input = allocator.buffer(capacity: Self.chunkSize + 1)
        self.output = allocator.buffer(capacity: Self.chunkSize)
    }
}

/// Flags output that grows suspiciously faster than the input it came from.
struct CompressionRatioGuard {
    var maxRatio: UInt64
    var thresholdBytes: UInt64

    init?(limits: ArchiveLimits) {
        guard limits.maxCompressionRatio > 0 else { return nil }
        self.maxRatio = limits.maxCompressionRatio
        self.thresholdBytes = limits.compressionRatioThresholdBytes
    }

    /// The ratio, when `uncompressed` bytes from `compressed` bytes exceed the limit.
    func excessiveRatio(uncompressed: UInt64, compressed: UInt64) -> UInt64? {
        guard uncompressed > self.thresholdBytes else { return nil }
        let ratio = uncompressed / max(compressed, 1)
        return ratio > self.maxRatio ? ratio : nil
    }

    func reason(uncompressed: UInt64, compressed: UInt64, ratio: UInt64, what: String) -> String {
        "\(what) expands \(ratio) times (\(ByteCount(uncompressed)) from \(ByteCount(compressed))), "
            + "more than the \(self.maxRatio):1 allowed; this looks like a decompression bomb"
    }
}
