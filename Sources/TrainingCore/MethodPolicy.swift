/// The provider's business rules for one trainable method: prices, who may use its models, and
/// how many models one address may hold.
public struct MethodPolicy: Sendable {
    /// Prices of validation and training.
    public var pricing: any PricingPolicy
    /// Who may run inference with the method's trained models.
    public var access: ModelAccessPolicy
    /// Replaces the proto's `max_models_per_user` when set (0: no limit). Consumers are shown the
    /// proto's value by the daemon, so keep the published proto in step.
    public var maxModelsPerUser: UInt64?

    /// 1 cog per call (``FlatPricing``), ``ModelAccessPolicy/open``, and the proto's `max_models_per_user`.
    public static var defaults: MethodPolicy {
        MethodPolicy(pricing: FlatPricing(), access: .open, maxModelsPerUser: nil)
    }

    public init(pricing: any PricingPolicy, access: ModelAccessPolicy, maxModelsPerUser: UInt64? = nil) {
        self.pricing = pricing
        self.access = access
        self.maxModelsPerUser = maxModelsPerUser
    }

    /// The quota in force for `method`: the override, else the proto's option. 0 means no limit.
    public func maxModelsPerUser(for method: TrainableMethod) -> UInt64 {
        maxModelsPerUser ?? method.options.maxModelsPerUser
    }
}

/// A ``MethodPolicy`` per trainable method, and the one used for methods not listed.
public struct MethodPolicies: Sendable {
    /// The policy of methods without their own entry.
    public var fallback: MethodPolicy
    /// Policies of individual methods.
    public var byMethod: [MethodName: MethodPolicy]

    /// Every method on ``MethodPolicy/defaults``.
    public static var defaults: MethodPolicies {
        MethodPolicies(fallback: .defaults, byMethod: [:])
    }

    public init(fallback: MethodPolicy, byMethod: [MethodName: MethodPolicy] = [:]) {
        self.fallback = fallback
        self.byMethod = byMethod
    }

    /// The policy of `method`; setting it gives the method its own entry.
    public subscript(method: MethodName) -> MethodPolicy {
        get { byMethod[method] ?? fallback }
        set { byMethod[method] = newValue }
    }
}
