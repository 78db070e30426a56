public import TrainingCore
public import TrainingProto

extension ModelStatus {
    /// The status a `training.Status` names; nil for a value this version does not know (a newer
    /// daemon proto), which callers report rather than guess.
    public init?(_ status: Training_Status) {
        self.init(wireNumber: status.rawValue)
    }

    /// Whether the model will not change again without a new call: the states `watch` stops at.
    public var isFinalForWatching: Bool {
        self == .readyToUse || self == .errored || self == .deleted
    }
}
