public import Foundation

/// A WAV clip's duration read from its header alone (the `fmt ` and `data` chunk headers), so an
/// over-long clip is refused before a single sample is decoded. Nil when the header cannot say;
/// the decoder then reports what is wrong with the clip.
///
/// ```swift
/// if let seconds = WAVDuration.seconds(of: clip), seconds > 10 { /* refuse it */ }
/// ```
public enum WAVDuration {
    /// `12 s` or `9.9 s`: how every message about a clip's length words it, dataset or call alike.
    public static func describe(_ seconds: Double) -> String {
        let tenths = (seconds * 10).rounded() / 10
        return (tenths == tenths.rounded() ? "\(Int(tenths))" : String(format: "%.1f", tenths)) + " s"
    }

    public static func seconds(of clip: Data) -> Double? {
        clip.withUnsafeBytes { bytes -> Double? in
            guard bytes.count >= 12, bytes.loadString(at: 0) == "RIFF", bytes.loadString(at: 8) == "WAVE" else { return nil }
            var offset = 12
            var bytesPerSecond: Double?
            // Bounded: every step advances by at least 8 bytes, and the loop ends with the clip.
            while offset + 8 <= bytes.count {
                let id = bytes.loadString(at: offset)
                let size = Int(bytes.loadLittleEndianUInt32(at: offset + 4))
                let body = offset + 8
                if id == "fmt ", body + 16 <= bytes.count {
                    let channels = Double(bytes.loadLittleEndianUInt16(at: body + 2))
                    let rate = Double(bytes.loadLittleEndianUInt32(at: body + 4))
                    let bits = Double(bytes.loadLittleEndianUInt16(at: body + 14))
                    let perSecond = channels * rate * bits / 8
                    guard perSecond > 0 else { return nil }
                    bytesPerSecond = perSecond
                } else if id == "data", let bytesPerSecond {
                    // A streamed WAV may declare 0 or 0xFFFFFFFF: then what the clip holds counts.
                    let declared = size == 0 || size == 0xFFFF_FFFF ? bytes.count - body : size
                    return Double(min(declared, bytes.count - body)) / bytesPerSecond
                }
                offset = body + size + (size & 1)
            }
            return nil
        }
    }
}

extension UnsafeRawBufferPointer {
    fileprivate func loadString(at offset: Int) -> String {
        String(decoding: self[offset..<offset + 4], as: UTF8.self)
    }

    fileprivate func loadLittleEndianUInt32(at offset: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 | UInt32(self[offset + $1]) << (8 * $1) }
    }

    fileprivate func loadLittleEndianUInt16(at offset: Int) -> UInt16 {
        UInt16(self[offset]) | UInt16(self[offset + 1]) << 8
    }
}
