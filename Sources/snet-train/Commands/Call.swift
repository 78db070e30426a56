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

    @OptionGroup var options: GlobalOptions
    @OptionGroup var descriptors: DescriptorOptions

    @Argument(help: "SERVICE/METHOD, e.g. service.ExampleService/stt.")
    var method: MethodPath

    @Option(name: .customLong("model-id"), help: "Put this id in the input's training.ModelID field.")
    var modelID: String?

    @Option(name: .customLong("field"), help: "PATH=VALUE for a field of the request (repeat for several).")
    var fields: [String] = []

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
        try await runCommand(options, about: modelID.map { ModelCommand(kind: .call, modelID: $0, method: "\(method.service)/\(method.method)") }) { console in
            let (service, response) = try await withConnection(options) { client in
                let (found, _) = try await descriptors.load(client: client)
                guard let (package, service) = found.service(named: method.service) else {
                    throw failure("No service named \(method.service). Services: \(found.services.joined(separator: ", ")).")
                }
                let serviceName = package.isEmpty ? service.name : "\(package).\(service.name)"
                guard let rpc = service.method.first(where: { $0.name == method.method }) else {
                    throw failure("\(serviceName) has no method \(method.method). Methods: \(service.method.map(\.name).joined(separator: ", ")).")
                }
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
                    bytes = try await MethodCaller(wrapping: client).call(
                        service: serviceName, method: rpc.name, request: request, metadata: options.metadata
                    )
                } catch let error as RPCError where error.code == .invalidArgument && !fileHints.isEmpty {
                    var refused = CommandFailure(error, options: options)
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
