/// Where a model stands in its lifecycle (the daemon's `training.Status`, without the proto dependency).
///
/// CREATED → VALIDATING → VALIDATED or ERRORED; VALIDATED → TRAINING → READY_TO_USE or ERRORED;
/// any → DELETED. A READY_TO_USE model may be retrained, and an ERRORED or VALIDATED one may take a
/// new dataset.
public enum ModelStatus: String, Sendable, Hashable, CaseIterable, Codable {
    case created = "CREATED"
    case validating = "VALIDATING"
    case validated = "VALIDATED"
    case training = "TRAINING"
    case readyToUse = "READY_TO_USE"
    case errored = "ERRORED"
    case deleted = "DELETED"

    /// A job owns the model while it is in one of these states.
    public var isBusy: Bool { self == .validating || self == .training }
}
