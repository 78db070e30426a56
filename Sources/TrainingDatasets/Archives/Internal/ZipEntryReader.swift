import CompressNIO
import NIOCore

/// Streams one zip entry's data, stored or deflated, out of exactly its byte range.
enum ZipEntryReader {
    enum Outcome {
        /// All data was delivered; the CRC-32 of what was delivered.
        case complete(UInt32)
        /// The consumer asked to stop.
        case stopped
        case corrupt(String)
    }

    /// Unlike a reader that keeps pulling input until the deflate stream says it is done, this never
    /// reads past the entry's range, and the stream must end exactly at its end: a stream that runs on
    /// (or stops short) is corrupt, so damaged data can neither hang the reader nor borrow another
    /// entry's bytes.
    static func read(
        _ file: ArchiveFile,
        range: Range<UInt64>,
        deflated: Bool,
        buffers: inout InflateBuffers,
        deliver: (UnsafeRawBufferPointer) throws -> Bool
    ) throws -> Outcome {
        let source = FileRangeSource(file: file, from: range.lowerBound, to: range.upperBound)
        var checksum = CRC32()
        buffers.input.clear()
        buffers.output.clear()
        guard deflated else {
            while !source.isAtEnd {
                buffers.input.clear()
                guard try source.read(into: &buffers.input) else { return .corrupt("the entry's data is cut short") }
                let accepted = try buffers.input.withUnsafeReadableBytes { bytes in
                    checksum.update(bytes)
                    return try deliver(bytes)
                }
                if !accepted { return .stopped }
            }
            return .complete(checksum.value)
        }

        let decompressor: ZlibDecompressor
        do {
            decompressor = try ZlibDecompressor(algorithm: .deflate, windowSize: 15)
        } catch {
            throw ArchiveStorageError(message: "could not start decompressing the archive", cause: error)
        }
        var sentinelFed = false
        while true {
            if buffers.input.readableBytes == 0 {
                if sentinelFed {
                    return .corrupt("the compressed data does not end where the archive says it does")
                }
                buffers.input.clear()
                let more = try source.read(into: &buffers.input)
                if !source.isAtEnd, !more {
                    return .corrupt("the entry's data is cut short")
                }
                if source.isAtEnd {
                    // A stream that ends exactly at the range's end leaves this byte unread.
                    buffers.input.writeInteger(UInt8(0))
                    sentinelFed = true
                }
            }
            let step: InflateStep
            do {
                step = try decompressor.step(from: &buffers.input, to: &buffers.output)
            } catch is ArchiveScanStop {
                return .corrupt("the compressed data is damaged")
            }
            if buffers.output.readableBytes > 0 {
                let accepted = try buffers.output.withUnsafeReadableBytes { bytes in
                    checksum.update(bytes)
                    return try deliver(bytes)
                }
                buffers.output.clear()
                if !accepted { return .stopped }
            }
            if case .streamEnded = step {
                guard sentinelFed, buffers.input.readableBytes == 1 else {
                    return .corrupt("the compressed data ends before the size the archive gives")
                }
                return .complete(checksum.value)
            }
        }
    }
}
