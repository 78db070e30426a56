import Foundation
import SwiftProtobuf
import TrainingProto

/// A message's size on the wire, for byte counts in logs and metrics.
enum MessageSize {
    static func of(_ message: some Sendable) -> Int {
        // Bytes forwarded undecoded (the training gateway) are their own size.
        if let bytes = message as? [UInt8] { return bytes.count }
        // Upload chunks are 1 MiB: count their payload instead of serialising each one again.
        if let chunk = message as? Training_UploadInput {
            var header = chunk
            header.data = .init()
            return chunk.data.count + ((try? header.serializedBytes() as [UInt8])?.count ?? 0)
        }
        guard let message = message as? any SwiftProtobuf.Message else { return 0 }
        return (try? message.serializedBytes() as [UInt8])?.count ?? 0
    }
}
