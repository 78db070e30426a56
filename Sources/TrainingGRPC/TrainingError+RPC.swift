public import GRPCCore
public import TrainingCore

// The only place TrainingError codes become gRPC status codes.
extension TrainingError: RPCErrorConvertible {
    public var rpcErrorCode: RPCError.Code {
        switch code {
        case .invalidArgument: .invalidArgument
        case .notFound: .notFound
        case .failedPrecondition: .failedPrecondition
        case .resourceExhausted: .resourceExhausted
        case .permissionDenied: .permissionDenied
        case .aborted: .aborted
        case .unavailable: .unavailable
        case .deadlineExceeded: .deadlineExceeded
        default: .internalError
        }
    }

    public var rpcErrorMessage: String { message }
}
