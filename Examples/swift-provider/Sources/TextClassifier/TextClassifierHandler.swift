public import GRPCCore
public import SNETTraining
public import TextClassifierProto

/// `classifier.TextClassifier`: the generated service protocol, implemented over the endpoint that
/// SNETTraining returned for `classify`.
public struct TextClassifierHandler: Classifier_TextClassifier.ServiceProtocol {
    private let classify: TrainableEndpoint<TextTrainer>
    private let limits: ClassifierLimits

    public init(classify: TrainableEndpoint<TextTrainer>, limits: ClassifierLimits = .defaults) {
        self.classify = classify
        self.limits = limits
    }

    /// Checks the request, then runs the model it names through `infer`, which resolves the model
    /// id (NOT_FOUND, FAILED_PRECONDITION with what to do), applies the method's access policy to
    /// the caller in `metadata`, and bounds how many calls run at once (RESOURCE_EXHAUSTED past it).
    public func classify(
        request: ServerRequest<Classifier_ClassifyRequest>,
        context: ServerContext
    ) async throws -> ServerResponse<Classifier_ClassifyResponse> {
        let text = request.message.text
        guard text.contains(where: { $0.isLetter || $0.isNumber }) else {
            throw RPCError(code: .invalidArgument, message: "text has no words in it. Send the text to classify in `text`.")
        }
        guard text.utf8.count <= limits.maxTextBytes else {
            throw RPCError(
                code: .invalidArgument,
                message: "text is \(text.utf8.count) bytes; this service classifies at most \(limits.maxTextBytes). Send a shorter text."
            )
        }
        let answer = try await classify.infer(modelID: request.message.modelID.modelID, metadata: request.metadata) { model in
            model.classify(text)
        }
        var response = Classifier_ClassifyResponse()
        response.label = answer.label
        response.confidence = answer.confidence
        return ServerResponse(message: response)
    }
}
