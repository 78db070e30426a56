import TrainingProto

/// The model a request or response is about, for the request log: the `training.Model` messages
/// name it directly; a provider's trainable method carries it in its `training.ModelID` field.
enum MessageModelID {
    static func of(_ message: some Sendable) -> String? {
        switch message {
        case let id as Training_ModelID: return id.modelID
        case let upload as Training_UploadInput: return upload.modelID
        case let request as Training_ValidateRequest: return request.modelID
        default:
            // Generated messages keep their fields as stored properties; a trainable method's input
            // has exactly one training.ModelID field.
            for child in Mirror(reflecting: message).children {
                if let id = child.value as? Training_ModelID { return id.modelID }
                if let id = child.value as? Training_ModelID?, let id { return id.modelID }
            }
            return nil
        }
    }
}
