import ArgumentParser
import Foundation
import GRPCCore
import TrainingClient
import TrainingCore

/// Runs a command's body and turns any failure into one readable line on standard error (plus a
/// JSON object on standard output with `--json`) and the documented exit code.
///
/// `command` names the model a command is about, so a refusal can end with the next step that fits
/// the model's state.
func runCommand(
    _ options: GlobalOptions,
    about command: ModelCommand? = nil,
    _ body: (Console) async throws -> ExitStatus
) async throws {
    try await runReporting(json: options.json, body) { error in
        var failure = await CommandFailure(error, options: options.connection).checkingReachability(of: error, options.connection)
        if let command, let rpc = error as? RPCError, failure.next == nil {
            failure.next = await NextStep.advice(after: rpc.code, to: command, options: options)
        }
        return failure
    }
}

/// ``runCommand(_:about:_:)`` for a command that calls no method of the service (`pack`, `check`).
func runCommand(_ options: ConnectionOptions, _ body: (Console) async throws -> ExitStatus) async throws {
    try await runReporting(json: options.json, body) { error in
        await CommandFailure(error, options: options).checkingReachability(of: error, options)
    }
}

/// ``runCommand(_:about:_:)`` for a command that calls no server (`daemon-config`).
func runCommand(_ options: EndpointOptions, _ body: (Console) async throws -> ExitStatus) async throws {
    try await runReporting(json: options.json, body) { error in CommandFailure(error, options: nil) }
}

/// The one way every command ends: its body's status, or the failure `describe` makes of what it
/// threw, reported; `ExitCode`s (help, version) pass through.
private func runReporting(
    json: Bool,
    _ body: (Console) async throws -> ExitStatus,
    describe: (any Error) async -> CommandFailure
) async throws {
    let console = Console(json: json)
    let status: ExitStatus
    do {
        status = try await body(console)
    } catch let error as ExitCode {
        throw error
    } catch {
        let failure = await describe(error)
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
            var next: String?
        }
        var error: Body
        var exitCode: Int32
    }
    if console.json {
        console.result(
            ErrorOutput(
                error: .init(
                    code: failure.code, message: failure.message, details: failure.details.isEmpty ? nil : failure.details,
                    next: failure.next
                ),
                exitCode: failure.status.rawValue
            ),
            text: []
        )
    }
    var text = "error: \(failure.code): \(failure.message)\n"
    for detail in failure.details { text += "  - \(detail)\n" }
    if let next = failure.next { text += "next: \(next)\n" }
    Console.write(text, to: .standardError)
}

extension CommandFailure {
    /// Classifies any error: the server's gRPC errors keep their code and message.
    init(_ error: any Error, options: ConnectionOptions?) {
        switch error {
        case let failure as CommandFailure:
            self = failure
        case let rpc as RPCError:
            let code = Self.name(of: rpc.code)
            if rpc.code == .unavailable || rpc.code == .deadlineExceeded {
                self.init(status: .unreachable, code: code, message: "\(options?.endpoint ?? "the endpoint"): \(Self.oneLine(rpc.message))")
                next = options.flatMap { Self.reachabilityAdvice(rpc, options: $0) }
                serverMessage = Self.oneLine(rpc.message)
            } else {
                self.init(status: .serverError, code: code, message: Self.oneLine(rpc.message))
            }
        case let error as ValidationError:
            self.init(status: .usage, code: "USAGE", message: error.message)
        case let error as any RPCErrorConvertible:
            self.init(RPCError(error), options: options)
        case let error as CocoaError:
            let path = (error.userInfo[NSFilePathErrorKey] as? String) ?? "the file"
            self.init(status: .localFailure, code: "LOCAL", message: "Cannot read \(path): \(Self.fileProblem(error)).")
        default:
            self.init(status: .localFailure, code: "LOCAL", message: Self.oneLine(String(describing: error)))
        }
    }

    /// What to try when the endpoint did not answer: TLS against a plaintext server (or the
    /// reverse) fails in the handshake, which looks like any other connection failure.
    static func reachabilityAdvice(_ error: RPCError, options: ConnectionOptions) -> String? {
        guard let endpoint = try? options.parsedEndpoint() else { return nil }
        let text = ([error.message] + causes(of: error)).joined(separator: " ").lowercased()
        let handshake = ["ssl", "tls", "handshake", "certificate", "wrong_version", "eof"].contains { text.contains($0) }
        if endpoint.tls, handshake { return tlsAdvice(text, endpoint: endpoint, options: options) }
        if text.contains("refused") || text.contains("connect") {
            return
                "is the server running on \(endpoint.host):\(endpoint.port)? Set the endpoint with --endpoint or \(GlobalOptions.endpointVariable); --wait-for-server S waits for one that is starting"
        }
        return nil
    }

    /// What failed in a TLS handshake, from the TLS library's words, and what to do about it.
    private static func tlsAdvice(_ text: String, endpoint: Endpoint, options: ConnectionOptions) -> String {
        let named = HostAddress(endpoint.host) == .name ? "the name \(endpoint.host)" : "the IP address \(endpoint.host)"
        if text.contains("couldn't find") || text.contains("failedtovalidatehostname") {
            return
                "the server's certificate does not name \(named) (a TLS client checks the endpoint's host against the certificate's names and IP addresses); use the host the certificate names, or a certificate naming \(endpoint.host)"
        }
        if text.contains("certificate_verify_failed") || text.contains("certificate verify failed") {
            let trusted = options.caFile.map { "the CA in \($0)" } ?? "the system's CAs (give --ca-file with the CA that signed it)"
            return "the server's certificate is not signed by \(trusted)"
        }
        if text.contains("certificate_required") || (text.contains("alert_handshake_failure") && options.certificateFile == nil) {
            return "the server asks for a client certificate (mutual TLS); give --cert and --key"
        }
        if text.contains("wrong_version_number") || text.contains("eof") || text.contains("uncleanshutdown") {
            return "the server did not answer TLS; if it is plaintext, use --endpoint \(endpoint.host):\(endpoint.port) (or http://)"
        }
        return "the TLS handshake with \(endpoint.host):\(endpoint.port) failed (see the message above)"
    }

    /// An UNAVAILABLE answer may come from the endpoint itself (a gateway whose provider is down,
    /// a server shedding load) rather than from a failed connection. When a free call
    /// (`get_model_status`) still gets an answer, the endpoint is up: the failure is the server's
    /// own, shown as it said it, with no advice to check whether the server runs.
    func checkingReachability(of error: any Error, _ options: ConnectionOptions) async -> CommandFailure {
        guard let rpc = error as? RPCError, rpc.code == .unavailable else { return self }
        return await checkingReachability(options)
    }

    func checkingReachability(_ options: ConnectionOptions) async -> CommandFailure {
        guard status == .unreachable, let serverMessage else { return self }
        let answered: Bool
        do {
            var once = options
            once.waitForServer = nil
            _ = try await withConnection(once) { client in try await ModelClient(wrapping: client).status(modelID: "") }
            answered = true
        } catch let error as RPCError {
            answered = error.code != .unavailable && error.code != .deadlineExceeded
        } catch {
            answered = false
        }
        guard answered else { return self }
        var failure = CommandFailure(status: .serverError, code: code, message: serverMessage)
        failure.next =
            "\(options.endpoint) is up and answered UNAVAILABLE: something it depends on is down (a gateway's provider, for one); the message above says what"
        return failure
    }

    /// The descriptions of an error's causes, innermost last.
    private static func causes(of error: RPCError) -> [String] {
        var found: [String] = []
        var cause = error.cause
        while let next = cause, found.count < 5 {
            found.append(String(describing: next))
            cause = (next as? RPCError)?.cause
        }
        return found
    }

    /// The operating system's words for a file error ("No such file or directory"), not
    /// Foundation's generic "The operation could not be completed".
    static func fileProblem(_ error: CocoaError) -> String {
        if let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        switch error.code {
        case .fileNoSuchFile, .fileReadNoSuchFile: return "No such file or directory"
        case .fileReadNoPermission, .fileWriteNoPermission: return "Permission denied"
        case .fileReadUnsupportedScheme: return "not a regular file"
        default: return error.localizedDescription
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
