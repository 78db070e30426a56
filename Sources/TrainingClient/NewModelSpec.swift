/// What `create_model` needs, as a consumer gives it to the daemon, plus the three fields the daemon
/// itself fills in (left empty when the caller is not a daemon).
public struct NewModelSpec: Sendable, Hashable {
    /// The fully-qualified service (`service.ExampleService`) or an unambiguous short name.
    public var service: String
    public var method: String
    public var name: String
    public var description: String
    public var addresses: [String]
    public var isPublic: Bool
    public var organizationID: String
    public var serviceID: String
    public var groupID: String

    public init(
        service: String, method: String, name: String, description: String = "", addresses: [String] = [],
        isPublic: Bool = false, organizationID: String = "", serviceID: String = "", groupID: String = ""
    ) {
        self.service = service
        self.method = method
        self.name = name
        self.description = description
        self.addresses = addresses
        self.isPublic = isPublic
        self.organizationID = organizationID
        self.serviceID = serviceID
        self.groupID = groupID
    }
}
