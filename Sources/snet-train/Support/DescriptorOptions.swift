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

extension DescriptorOptions {
    /// The trainable method `path` names, read from --proto-set without connecting, else through
    /// the server's reflection.
    func method(_ path: MethodPath?, options: ConnectionOptions) async throws -> PublishedTraining.Method {
        let found: ServiceDescriptors
        if let protoSet {
            found = try loadFile(protoSet)
        } else {
            found = try await withConnection(options) { client in try await load(client: client).0 }
        }
        return try MethodPath.select(path, in: PublishedTraining(found))
    }
}

/// A trainable method as the commands take it: `SERVICE/METHOD` (`service.ExampleService/stt`),
/// the service's short name (`ExampleService/stt`), or the method's name alone (`stt`), resolved
/// against the service's protos when unambiguous.
struct MethodPath: ExpressibleByArgument, Encodable {
    /// Nil when only the method's name was given.
    var service: String?
    var method: String

    init?(argument: String) {
        let parts = argument.split(separator: "/", omittingEmptySubsequences: false)
        switch parts.count {
        case 1 where !parts[0].isEmpty:
            service = nil
            method = String(parts[0])
        case 2 where !parts[0].isEmpty && !parts[1].isEmpty:
            service = String(parts[0])
            method = String(parts[1])
        default:
            return nil
        }
    }

    static var defaultValueDescription: String { "SERVICE/METHOD" }

    /// As given.
    var text: String { service.map { "\($0)/\(method)" } ?? method }

    /// The trainable method `path` names; without a path, the only one (or, when several are
    /// trainable, the first of them if all declare the same dataset options, so that checking an
    /// archive does not depend on which one a model belongs to).
    static func select(_ path: MethodPath?, in published: PublishedTraining) throws -> PublishedTraining.Method {
        let all = published.methods.map(\.fullName)
        let listed = all.isEmpty ? "none" : all.joined(separator: ", ")
        guard let path else {
            guard let first = published.methods.first else {
                throw CommandFailure(status: .usage, code: "USAGE", message: "The service has no trainable method.")
            }
            let datasetOptions = Set(published.methods.map(\.datasetOptions))
            guard datasetOptions.count == 1 else {
                throw CommandFailure(
                    status: .usage, code: "USAGE",
                    message:
                        "The service has several trainable methods with different dataset options (\(listed)): pass --method SERVICE/METHOD (or just the method's name)."
                )
            }
            return first
        }
        let matches = published.methods.filter { candidate in
            guard candidate.method == path.method else { return false }
            guard let service = path.service else { return true }
            return candidate.service == service || candidate.service.split(separator: ".").last.map(String.init) == service
        }
        if matches.count == 1 { return matches[0] }
        if matches.count > 1 {
            throw CommandFailure(
                status: .usage, code: "USAGE",
                message: "'\(path.text)' names several trainable methods (\(matches.map(\.fullName).joined(separator: ", "))): pass one as SERVICE/METHOD."
            )
        }
        let guess =
            UsageErrors.closest(to: path.text, in: all)
            ?? UsageErrors.closest(to: path.method, in: published.methods.map(\.method)).flatMap { name in
                published.methods.first { $0.method == name }?.fullName
            }
        throw CommandFailure(
            status: .usage, code: "USAGE",
            message: "'\(path.text)' is not a trainable method of this service.\(guess.map { " Did you mean \($0)?" } ?? "") Trainable: \(listed)."
        )
    }
}

extension PublishedTraining.Method {
    /// Everything an archive is checked against; two methods that agree on it accept the same archives.
    var datasetOptions: [String] {
        [
            "\(datasetMaxSizeMB)", "\(datasetMaxCountFiles)", "\(datasetMaxSizeSingleFileMB)", datasetFilesType, datasetType,
            datasetDescription,
        ]
    }
}
