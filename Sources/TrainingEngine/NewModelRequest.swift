/// What `create_model` receives, without the proto dependency.
public struct NewModelRequest: Sendable {
    public var name: String
    public var description: String
    public var grpcServiceName: String
    public var grpcMethodName: String
    public var addressList: [String]
    public var isPublic: Bool
    public var organizationID: String
    public var serviceID: String
    public var groupID: String

    public init(
        name: String = "", description: String = "", grpcServiceName: String, grpcMethodName: String,
        addressList: [String] = [], isPublic: Bool = false, organizationID: String = "", serviceID: String = "", groupID: String = ""
    ) {
        self.name = name
        self.description = description
        self.grpcServiceName = grpcServiceName
        self.grpcMethodName = grpcMethodName
        self.addressList = addressList
        self.isPublic = isPublic
        self.organizationID = organizationID
        self.serviceID = serviceID
        self.groupID = groupID
    }
}

/// Bounds on `create_model`'s free-form fields, so a consumer cannot fill the registry with
/// megabytes. The daemon fills `organization_id`, `service_id` and `group_id` with short ids.
enum NewModelLimits {
    static let nameCharacters = 256
    static let descriptionCharacters = 4096
    static let addresses = 100
    static let methodNameCharacters = 256
    static let idCharacters = 256
}
