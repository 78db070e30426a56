import Foundation

// Why a model is ERRORED, in the errors of the calls a consumer makes next. The daemon's
// consumer-facing get_model keeps only the status (never the status detail), so these errors are
// the one place where a consumer behind the daemon reads the reason.
extension ModelRecord {
    /// The most of the stored reason an error message repeats: the whole message stays short
    /// enough for any client and for the daemon's `issue with service: …` wrapping.
    public static let maxErroredReasonBytes = 600

    /// "Model 'X' is ERRORED: <reason>", the reason bounded; nil unless the model is ERRORED.
    public var erroredReason: String? {
        guard status == .errored else { return nil }
        let stored = (statusDetail ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let reason = stored.isEmpty ? "no reason was recorded." : stored.bounded(toUTF8Bytes: Self.maxErroredReasonBytes)
        return "Model '\(id)' is ERRORED: \(reason)"
    }

    /// The way back from ERRORED, true for every client: an upload is the one call an ERRORED
    /// model still takes. A client that asks the validation price before each upload (and stops
    /// when it is refused) cannot upload here, so it is told to start over with a new model.
    /// `uploadPrice`, when known, is what an upload costs, since the price call now refuses.
    public static func erroredRecoveryHint(uploadPrice: UInt64? = nil) -> String {
        let cost = uploadPrice.map { "; an upload costs \($0) \($0 == 1 ? "cog" : "cogs")" } ?? ""
        return "To go on, upload a corrected dataset to this model (or the same one, if it was not the problem\(cost)). "
            + "A client that must ask the validation price before uploading cannot: create a new model and upload to it. "
            + "Train once the model is VALIDATED."
    }

    /// A FAILED_PRECONDITION for `action` on an ERRORED model, with its reason and the way back.
    public func erroredRefusal(toDo action: String, uploadPrice: UInt64? = nil) -> TrainingError? {
        guard let reason = erroredReason else { return nil }
        let ended = reason.hasSuffix(".") || reason.hasSuffix("]") ? reason : reason + "."
        return .failedPrecondition("Cannot \(action): \(ended) \(Self.erroredRecoveryHint(uploadPrice: uploadPrice))")
    }
}
