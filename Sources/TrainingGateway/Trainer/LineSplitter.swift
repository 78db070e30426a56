import Foundation

/// Splits a byte stream into lines, bounded: a trainer could print anything, so a line longer than
/// `maxLineBytes` is dropped whole (and counted) instead of growing a buffer without end.
struct LineSplitter {
    let maxLineBytes: Int
    private var buffer: [UInt8] = []
    private var skipping = false
    /// Lines dropped for being too long.
    private(set) var droppedLines = 0

    init(maxLineBytes: Int) {
        self.maxLineBytes = maxLineBytes
    }

    /// The complete lines in `bytes`, without their line feeds (a trailing CR is removed too).
    mutating func feed(_ bytes: UnsafeRawBufferPointer) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                if skipping {
                    skipping = false
                } else {
                    if buffer.last == UInt8(ascii: "\r") { buffer.removeLast() }
                    lines.append(buffer)
                }
                buffer.removeAll(keepingCapacity: true)
            } else if !skipping {
                if buffer.count >= maxLineBytes {
                    skipping = true
                    droppedLines += 1
                    buffer.removeAll(keepingCapacity: true)
                } else {
                    buffer.append(byte)
                }
            }
        }
        return lines
    }

    /// What is left after the stream ended: a last line without a line feed.
    mutating func finish() -> [UInt8]? {
        defer { buffer.removeAll() }
        return skipping || buffer.isEmpty ? nil : buffer
    }
}

/// Keeps the last bytes of a stream (the trainer's standard error), for the reason of a failure.
struct OutputTail {
    let capacity: Int
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) {
        self.capacity = capacity
    }

    mutating func append(_ chunk: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: chunk.suffix(capacity))
        if bytes.count > capacity { bytes.removeFirst(bytes.count - capacity) }
    }

    /// The last non-empty line, made safe to show.
    var lastLine: String? {
        let text = String(decoding: bytes, as: UTF8.self)
        return text.split(whereSeparator: \.isNewline).last { !$0.allSatisfy(\.isWhitespace) }
            .map { TrainerMessage.bounded(String($0)) }
    }
}

/// Text from a trainer, as it may be shown to a consumer: one line, printable, bounded.
enum TrainerMessage {
    static let maxCharacters = 500

    static func bounded(_ text: String, limit: Int = maxCharacters) -> String {
        var result = ""
        var lastWasSpace = false
        for character in text {
            let printable =
                !character.isNewline
                && character.unicodeScalars.allSatisfy {
                    $0.properties.generalCategory != .control && $0.properties.generalCategory != .format
                }
            if !printable || character.isWhitespace {
                if !lastWasSpace, !result.isEmpty { result.append(" ") }
                lastWasSpace = true
            } else {
                result.append(character)
                lastWasSpace = false
            }
            if result.count >= limit { return String(result.prefix(limit - 1)) + "…" }
        }
        return result.trimmingCharacters(in: .whitespaces)
    }
}
