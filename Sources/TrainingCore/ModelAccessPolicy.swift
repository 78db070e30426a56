/// Who may run inference with a trained model of a method.
///
/// The daemon lets any paying consumer call a trainable method with any model id. `restricted` adds
/// the check the daemon does not make: a private model only answers callers whose
/// `snet-user-address` is in its `address_list`. A caller who may not use a model is told it does not
/// exist, in the same words as for an unknown id, so nobody learns which private models exist.
public enum ModelAccessPolicy: String, Sendable, Hashable, CaseIterable {
    /// Any caller may use any model id (what the daemon alone gives).
    case open
    /// Public models for everyone; a private model only for callers in its `address_list` (or the
    /// address that created it, when the create call carried one), compared case-insensitively.
    case restricted

    /// Whether `caller` (the call's `snet-user-address`, nil if it had none) may use `model`.
    public func allows(_ caller: String?, toUse model: ModelRecord) -> Bool {
        switch self {
        case .open:
            return true
        case .restricted:
            if model.isPublic { return true }
            guard let caller = caller?.lowercased(), !caller.isEmpty else { return false }
            return model.addressList.contains { $0.lowercased() == caller } || model.createdBy?.lowercased() == caller
        }
    }
}
