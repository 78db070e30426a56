import GRPCCore
import Testing
import TrainingCore
import TrainingGRPC

@Suite("TrainingError to gRPC status")
struct ErrorMappingTests {
    @Test(
        "every domain code maps to the gRPC code a consumer can act on",
        arguments: [
            (TrainingError.Code.invalidArgument, RPCError.Code.invalidArgument),
            (.notFound, .notFound),
            (.failedPrecondition, .failedPrecondition),
            (.resourceExhausted, .resourceExhausted),
            (.permissionDenied, .permissionDenied),
            (.aborted, .aborted),
            (.unavailable, .unavailable),
            (.deadlineExceeded, .deadlineExceeded),
            (.internalError, .internalError),
        ]
    )
    func codes(domain: TrainingError.Code, rpc: RPCError.Code) {
        let error = TrainingError(code: domain, message: "what to do")
        #expect(error.rpcErrorCode == rpc)
        #expect(error.rpcErrorMessage == "what to do")
    }

    @Test("an internal error's cause never reaches the consumer")
    func causeStaysInTheLogs() {
        struct DiskFault: Error, CustomStringConvertible { var description: String { "/var/data/registry.sqlite: disk I/O" } }
        let error = TrainingError.internalError(cause: DiskFault())
        #expect(!error.rpcErrorMessage.contains("registry.sqlite"))
        #expect(error.rpcErrorCode == .internalError)
    }
}
