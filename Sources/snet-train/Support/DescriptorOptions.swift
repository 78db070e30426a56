import ArgumentParser
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2Posix
import TrainingClient

/// Where a command reads the service's protos: the server's reflection, or a descriptor set file
/// for servers without reflection.
struct DescriptorOptions: ParsableArguments {
    @Option(
        name: .customLong("proto-set"),
        help: ArgumentHelp(
            "Read the service's protos from this FileDescriptorSet instead of server reflection.",
            discussion: "Make one with: protoc --include_imports --descriptor_set_out=service.protoset service.proto"
        )
    )
    var protoSet: String?

    /// Where the descriptors came from, for output.
    enum Source: String, Encodable {
        case reflectionV1 = "reflection v1"
        case reflectionV1alpha = "reflection v1alpha"
        case file
    }

    func load(client: GRPCClient<HTTP2ClientTransport.Posix>) async throws -> (ServiceDescriptors, Source) {
        if let protoSet { return (try loadFile(protoSet), .file) }
        do {
            let (descriptors, version) = try await ReflectionReader(wrapping: client).descriptors()
            return (descriptors, version == .v1 ? .reflectionV1 : .reflectionV1alpha)
        } catch let error as RPCError where error.code == .unimplemented {
            throw CommandFailure(
                status: .serverError, code: "UNIMPLEMENTED",
                message: "The server does not offer gRPC server reflection. Pass --proto-set FILE with the service's descriptor set."
            )
        }
    }

    func loadFile(_ path: String) throws -> ServiceDescriptors {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure(status: .localFailure, code: "LOCAL", message: "Cannot read the descriptor set \(path).")
        }
        do {
            return try ServiceDescriptors(descriptorSet: data)
        } catch {
            throw CommandFailure(
                status: .localFailure, code: "LOCAL",
                message: "\(path) is not a FileDescriptorSet (make one with protoc --include_imports --descriptor_set_out=FILE)."
            )
        }
    }
}

/// `SERVICE/METHOD` as the commands take it; the service may be short when unambiguous.
struct MethodPath: ExpressibleByArgument, Encodable {
    var service: String
    var method: String

    init?(argument: String) {
        let parts = argument.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        service = String(parts[0])
        method = String(parts[1])
    }

    /// The trainable method `path` names, or the only one when `path` is nil.
    static func select(_ path: MethodPath?, in published: PublishedTraining) throws -> PublishedTraining.Method {
        let all = published.methods.map(\.fullName).joined(separator: ", ")
        guard let path else {
            guard published.methods.count == 1, let only = published.methods.first else {
                throw CommandFailure(
                    status: .usage, code: "USAGE",
                    message: published.methods.isEmpty
                        ? "The service has no trainable method."
                        : "The service has several trainable methods (\(all)): pass --method SERVICE/METHOD."
                )
            }
            return only
        }
        let matches = published.methods.filter {
            $0.method == path.method && ($0.service == path.service || $0.service.split(separator: ".").last.map(String.init) == path.service)
        }
        guard matches.count == 1 else {
            throw CommandFailure(
                status: .usage, code: "USAGE",
                message: "\(path.service)/\(path.method) is not a trainable method of this service. Trainable: \(all.isEmpty ? "none" : all)."
            )
        }
        return matches[0]
    }
}
