import ArgumentParser
import Foundation
import GRPCCore

/// Runs a command's body and turns any failure into one readable line on standard error (plus a
/// JSON object on standard output with `--json`) and the documented exit code.
func runCommand(_ options: GlobalOptions, _ body: (Console) async throws -> ExitStatus) async throws {
    let console = Console(json: options.json)
    let status: ExitStatus
    do {
        status = try await body(console)
    } catch let error as ExitCode {
        throw error
    } catch {
        let failure = CommandFailure(error, endpoint: options.endpoint)
        report(failure, on: console)
        status = failure.status
    }
    if status != .success { throw status.exitCode }
}

func report(_ failure: CommandFailure, on console: Console) {
    struct ErrorOutput: Encodable {
        struct Body: Encodable {
            var code: String
            var message: String
            var details: [String]?
        }
        var error: Body
        var exitCode: Int32
    }
    if console.json {
        console.result(
            ErrorOutput(
                error: .init(code: failure.code, message: failure.message, details: failure.details.isEmpty ? nil : failure.details),
                exitCode: failure.status.rawValue
            ),
            text: []
        )
    }
    var text = "error: \(failure.code): \(failure.message)\n"
    for detail in failure.details { text += "  - \(detail)\n" }
    Console.write(text, to: .standardError)
}

extension CommandFailure {
    /// Classifies any error: the server's gRPC errors keep their code and message.
    init(_ error: any Error, endpoint: String) {
        switch error {
        case let failure as CommandFailure:
            self = failure
        case let rpc as RPCError:
            let code = Self.name(of: rpc.code)
            if rpc.code == .unavailable || rpc.code == .deadlineExceeded {
                self.init(status: .unreachable, code: code, message: "\(endpoint): \(Self.oneLine(rpc.message))")
            } else {
                self.init(status: .serverError, code: code, message: Self.oneLine(rpc.message))
            }
        case let error as any RPCErrorConvertible:
            self.init(RPCError(error), endpoint: endpoint)
        case let error as CocoaError:
            let path = (error.userInfo[NSFilePathErrorKey] as? String).map { " (\($0))" } ?? ""
            self.init(status: .localFailure, code: "LOCAL", message: "\(error.localizedDescription)\(path)")
        default:
            self.init(status: .localFailure, code: "LOCAL", message: Self.oneLine(String(describing: error)))
        }
    }

    /// The gRPC code as the spec writes it (NOT_FOUND), which is what people search for.
    static func name(of code: RPCError.Code) -> String {
        switch code {
        case .cancelled: "CANCELLED"
        case .unknown: "UNKNOWN"
        case .invalidArgument: "INVALID_ARGUMENT"
        case .deadlineExceeded: "DEADLINE_EXCEEDED"
        case .notFound: "NOT_FOUND"
        case .alreadyExists: "ALREADY_EXISTS"
        case .permissionDenied: "PERMISSION_DENIED"
        case .resourceExhausted: "RESOURCE_EXHAUSTED"
        case .failedPrecondition: "FAILED_PRECONDITION"
        case .aborted: "ABORTED"
        case .outOfRange: "OUT_OF_RANGE"
        case .unimplemented: "UNIMPLEMENTED"
        case .internalError: "INTERNAL"
        case .unavailable: "UNAVAILABLE"
        case .dataLoss: "DATA_LOSS"
        case .unauthenticated: "UNAUTHENTICATED"
        default: "CODE_\(code.rawValue)"
        }
    }

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }
}
