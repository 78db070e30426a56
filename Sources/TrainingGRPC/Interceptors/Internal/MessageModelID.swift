import Synchronization
import TrainingProto

/// The model id a request or response carries, for logs: the `model_id` of training.Model's
/// messages, or the `training.ModelID` field of a trainable method's input.
package enum MessageModelID {
    package static func of(_ message: some Sendable) -> String? {
        switch message {
        case let id as Training_ModelID: return id.modelID
        case let upload as Training_UploadInput: return upload.modelID
        case let request as Training_ValidateRequest: return request.modelID
        // Bytes forwarded undecoded (the training gateway): nothing to read here, and reflecting
        // over an array would visit every byte.
        case is [UInt8]: return nil
        default:
            let type = ObjectIdentifier(type(of: message))
            if typesWithoutModelID.withLock({ $0.contains(type) }) { return nil }
            // Generated messages keep their fields as stored properties; a trainable method's input
            // has exactly one training.ModelID field.
            var hasField = false
            for child in Mirror(reflecting: message).children {
                if let id = child.value as? Training_ModelID { return id.modelID }
                if let field = child.value as? Training_ModelID? {
                    if let id = field { return id.modelID }
                    hasField = true  // unset in this message, perhaps not in the next
                }
            }
            // Reflection is the costly part of every call: remember the types that have no such field.
            if !hasField { typesWithoutModelID.withLock { _ = $0.insert(type) } }
            return nil
        }
    }

    private static let typesWithoutModelID = Mutex<Set<ObjectIdentifier>>([])
}
