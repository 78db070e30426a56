/// An error the training service reports to its caller.
///
/// The message reaches the consumer verbatim (the daemon wraps it as `issue with service: …`), so it
/// says what was wrong and what to do. Storage faults become ``Code/internalError`` with a generic
/// message; the underlying error is kept in `cause` for logs only. `TrainingGRPC` maps codes to gRPC
/// status codes.
public struct TrainingError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: Hashable, Sendable {
            case invalidArgument, notFound, failedPrecondition, resourceExhausted
            case permissionDenied, aborted, unavailable, deadlineExceeded, internalError
        }
        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

        /// The request itself is malformed: fix the request.
        public static let invalidArgument = Code(.invalidArgument)
        /// The model (or another named thing) does not exist, or is not visible to the caller.
        public static let notFound = Code(.notFound)
        /// The model is not in a state that allows this call.
        public static let failedPrecondition = Code(.failedPrecondition)
        /// A limit or quota is exceeded.
        public static let resourceExhausted = Code(.resourceExhausted)
        /// The caller may not use this model.
        public static let permissionDenied = Code(.permissionDenied)
        /// A concurrent change won; retrying may succeed.
        public static let aborted = Code(.aborted)
        /// The service is shutting down or overloaded.
        public static let unavailable = Code(.unavailable)
        /// The caller took too long (an upload stream that went silent).
        public static let deadlineExceeded = Code(.deadlineExceeded)
        /// A fault inside the service; nothing the caller can fix.
        public static let internalError = Code(.internalError)

        public var description: String { String(describing: wrapped) }
    }

    public var code: Code
    public var message: String
    public var cause: (any Error)?

    public init(code: Code, message: String, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String {
        if let cause { return "\(code): \(message) (cause: \(cause))" }
        return "\(code): \(message)"
    }
}

extension TrainingError {
    public static func invalidArgument(_ message: String) -> Self { .init(code: .invalidArgument, message: message) }
    public static func notFound(_ message: String) -> Self { .init(code: .notFound, message: message) }
    public static func failedPrecondition(_ message: String) -> Self { .init(code: .failedPrecondition, message: message) }
    public static func resourceExhausted(_ message: String) -> Self { .init(code: .resourceExhausted, message: message) }
    public static func permissionDenied(_ message: String) -> Self { .init(code: .permissionDenied, message: message) }

    /// A storage or file-system fault. The consumer sees a generic message; `cause` goes to the logs.
    public static func internalError(_ message: String = "The training service hit an internal error; try again later.", cause: (any Error)? = nil) -> Self {
        .init(code: .internalError, message: message, cause: cause)
    }

    /// The uniform answer for a model id that does not exist or that the caller may not see.
    public static func modelNotFound(_ id: String) -> Self {
        .notFound("Model \(id.quotedForMessage()) was not found. Check the model id, or create a model with create_model.")
    }
}
