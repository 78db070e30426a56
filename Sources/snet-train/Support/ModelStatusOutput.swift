/// What the one-call commands print: the model and the status the server answered.
struct ModelStatusOutput: Encodable {
    var modelId: String
    var status: String
    var detail: String?
}
