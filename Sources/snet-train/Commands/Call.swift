import ArgumentParser
import Foundation
import GRPCCore
import SwiftProtobuf
import TrainingClient

struct Call: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Call a unary method of the service, e.g. a trainable method with a model id.",
        discussion: """
            The request is built from the method's input type, read through server reflection (or \
            --proto-set). Examples:
              snet-train call service.ExampleService/stt --model-id ID --field speech=@yes.wav
              snet-train call service.ExampleService/basic_stt --field speech=@yes.wav
            Field values: text for strings, @FILE for bytes read from a file, numbers, true/false, \
            enum value names; a nested message's field as PARENT.FIELD=VALUE.
            """
    )

    @Argument(help: "SERVICE/METHOD, e.g. service.ExampleService/stt (or ExampleService/stt, or stt when no other service has it).")
    var method: MethodPath

    @Option(name: .customLong("model-id"), help: "Put this id in the input's training.ModelID field.")
    var modelID: String?

    @Option(name: .customLong("field"), help: "PATH=VALUE for a field of the request (repeat for several).")
    var fields: [String] = []

    @OptionGroup var descriptors: DescriptorOptions
    @OptionGroup var options: GlobalOptions

    struct Output: Encodable {
        var service: String
        var method: String
        var response: JSONValue
    }

    func validate() throws {
        for field in fields where !field.contains("=") {
            throw ValidationError("--field '\(field)' is not PATH=VALUE.")
        }
    }

    func run() async throws {
        try await runCommand(options, about: modelID.map { ModelCommand(kind: .call, modelID: $0, method: method.text) }) { console in
            let (service, response) = try await withConnection(options) { client in
                let (found, _) = try await descriptors.load(client: client)
                let (serviceName, rpc) = try Self.resolve(method, in: found)
                guard !rpc.clientStreaming, !rpc.serverStreaming else {
                    throw failure("\(serviceName)/\(rpc.name) streams; call only calls unary methods.")
                }
                var assignments = fields.map { field -> (path: String, value: String) in
                    let parts = field.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                    return (String(parts[0]), String(parts[1]))
                }
                if let modelID {
                    let input = found.message(named: rpc.inputType)
                    guard let field = input?.field.first(where: { $0.typeName == ".training.ModelID" }) else {
                        throw failure("\(serviceName)/\(rpc.name) is not trainable: its input has no training.ModelID field for --model-id.")
                    }
                    assignments.append(("\(field.name).model_id", modelID))
                }
                let codec = DynamicMessageCodec(descriptors: found)
                let request: [UInt8]
                do {
                    request = try codec.encode(type: rpc.inputType, assignments: assignments)
                } catch let problem as DynamicMessageCodec.Problem where problem.isUnreadableFile {
                    throw CommandFailure(status: .localFailure, code: "LOCAL", message: problem.description)
                } catch let problem as DynamicMessageCodec.Problem {
                    throw failure(problem.description)
                }
                let fileHints = Self.fileHints(codec.bytesGivenAsText(type: rpc.inputType, assignments: assignments))
                for hint in fileHints { console.note("note: \(hint)") }
                let bytes: [UInt8]
                do {
                    let caller = MethodCaller(wrapping: client)
                    // With --wait-for-server, a service still starting behind the endpoint (a
                    // gateway's provider) is waited for too.
                    bytes = try await retryingUnavailable(for: .milliseconds(Int64((options.connection.waitForServer ?? 0) * 1000))) {
                        try await caller.call(service: serviceName, method: rpc.name, request: request, metadata: options.metadata)
                    }
                } catch let error as RPCError where error.code == .invalidArgument && !fileHints.isEmpty {
                    var refused = CommandFailure(error, options: options.connection)
                    refused.next = fileHints.joined(separator: "; ")
                    throw refused
                }
                return (serviceName, try codec.decode(type: rpc.outputType, bytes: bytes))
            }
            var text: [String] = []
            if case .object(let members) = response {
                text = members.map { "\($0.key): \($0.value)" }
            } else {
                text = ["\(response)"]
            }
            console.result(Output(service: service, method: method.method, response: response), text: text)
            return .success
        }
    }

    /// The service and method `path` names: its service by full or short name, or, with the
    /// method's name alone, the one service that has it. Unknown names get the closest real one.
    static func resolve(_ path: MethodPath, in found: ServiceDescriptors) throws -> (String, Google_Protobuf_MethodDescriptorProto) {
        var all: [(service: String, method: Google_Protobuf_MethodDescriptorProto)] = []
        for name in found.services {
            guard let (package, service) = found.service(named: name) else { continue }
            let full = package.isEmpty ? service.name : "\(package).\(service.name)"
            all += service.method.map { (full, $0) }
        }
        let matches = all.filter { candidate in
            guard candidate.method.name == path.method else { return false }
            guard let service = path.service else { return true }
            return candidate.service == service || candidate.service.split(separator: ".").last.map(String.init) == service
        }
        if matches.count == 1 { return (matches[0].service, matches[0].method) }
        let names = all.map { "\($0.service)/\($0.method.name)" }
        if matches.count > 1 {
            throw CommandFailure(
                status: .usage, code: "USAGE",
                message:
                    "'\(path.text)' names several methods (\(matches.map { "\($0.service)/\($0.method.name)" }.joined(separator: ", "))): pass one as SERVICE/METHOD."
            )
        }
        let guess =
            UsageErrors.closest(to: path.text, in: names)
            ?? UsageErrors.closest(to: path.method, in: all.map(\.method.name)).flatMap { name in
                all.first { $0.method.name == name }.map { "\($0.service)/\($0.method.name)" }
            }
        throw CommandFailure(
            status: .usage, code: "USAGE",
            message: "The service has no method '\(path.text)'.\(guess.map { " Did you mean \($0)?" } ?? "") Methods: \(names.joined(separator: ", "))."
        )
    }

    /// For each bytes field given text that names a file (or looks like a file name): the `@` form.
    static func fileHints(_ textBytes: [(path: String, value: String)]) -> [String] {
        textBytes.compactMap { path, value in
            let looksLikeFile =
                FileManager.default.fileExists(atPath: value)
                || (!value.contains(" ") && value.split(separator: ".").last.map { (1...5).contains($0.count) && value.contains(".") } == true)
            guard looksLikeFile else { return nil }
            return "--field \(path)=\(value) sends the text '\(value)' as \(path)'s bytes; to send the file's content, write --field \(path)=@\(value)"
        }
    }

    private func failure(_ message: String) -> CommandFailure {
        CommandFailure(status: .usage, code: "USAGE", message: message)
    }
}
