/// Where a model stands in its lifecycle (the daemon's `training.Status`, without the proto dependency).
///
/// CREATED → VALIDATING → VALIDATED or ERRORED; VALIDATED → TRAINING → READY_TO_USE or ERRORED;
/// any → DELETED. A READY_TO_USE model may be retrained, and a VALIDATED one may take a new dataset
/// (uploaded or by link); an ERRORED one takes only an upload.
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

    /// The number `training.proto`'s `enum Status` gives this status: its value on the wire. The
    /// one mapping between the two; the server's and the client's conversions both use it.
    public var wireNumber: Int {
        switch self {
        case .created: 0
        case .validating: 1
        case .validated: 2
        case .training: 3
        case .readyToUse: 4
        case .errored: 5
        case .deleted: 6
        }
    }

    /// The status with this wire number; nil for one this version does not know (a newer proto).
    public init?(wireNumber: Int) {
        guard let status = Self.allCases.first(where: { $0.wireNumber == wireNumber }) else { return nil }
        self = status
    }
}
