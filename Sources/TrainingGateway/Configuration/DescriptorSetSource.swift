import Foundation
import Subprocess
import SystemPackage

/// The provider's service definition: `provider.descriptorSet` (a compiled `.protoset`), or
/// `provider.protoFiles` with `provider.importPaths`, compiled at start-up by `protoc` (which must
/// be on PATH; the directory of `training.proto` must be among the import paths).
enum DescriptorSetSource {
    static func read(_ settings: GatewaySettingsReader) async -> Data? {
        let setKey = "provider.descriptorSet"
        let filesKey = "provider.protoFiles"
        let compiledPath = settings.string(setKey).map(settings.resolvedPath)
        let protoFiles = (settings.strings(filesKey) ?? []).map(settings.resolvedPath)
        let importPaths = (settings.strings("provider.importPaths") ?? []).map(settings.resolvedPath)
        switch (compiledPath, protoFiles.isEmpty) {
        case (let path?, true):
            guard let data = FileManager.default.contents(atPath: path) else {
                settings.problem(setKey, "\(path)\(settings.origin(setKey)) cannot be read.")
                return nil
            }
            return data
        case (nil, false):
            return await compile(protoFiles, importPaths: importPaths, settings: settings)
        case (_?, false):
            settings.problem(filesKey, "give either provider.descriptorSet or provider.protoFiles, not both.")
            return nil
        case (nil, true):
            settings.problem(
                setKey,
                "is required: the provider's descriptor set (protoc --include_imports --descriptor_set_out=service.protoset service.proto), or provider.protoFiles."
            )
            return nil
        }
    }

    private static func compile(_ files: [String], importPaths: [String], settings: GatewaySettingsReader) async -> Data? {
        let key = "provider.protoFiles"
        let output = FileManager.default.temporaryDirectory.appending(path: "training-gateway-\(UUID().uuidString).protoset")
        defer { try? FileManager.default.removeItem(at: output) }
        var arguments = ["--include_imports", "--descriptor_set_out=\(output.path(percentEncoded: false))"]
        let roots = importPaths.isEmpty ? Array(Set(files.map { URL(filePath: $0).deletingLastPathComponent().path(percentEncoded: false) })) : importPaths
        arguments += roots.map { "-I\($0)" }
        arguments += files
        do {
            let result = try await Subprocess.run(
                .name("protoc"), arguments: Arguments(arguments), output: .discarded, error: .string(limit: 64 * 1024)
            )
            guard result.terminationStatus.isSuccess else {
                let message = (result.standardError ?? "").split(whereSeparator: \.isNewline).prefix(5).joined(separator: "; ")
                settings.problem(key, "protoc could not compile them: \(message)")
                return nil
            }
            return FileManager.default.contents(atPath: output.path(percentEncoded: false))
        } catch {
            settings.problem(key, "need protoc on PATH to compile .proto files (Debian: apt-get install protobuf-compiler), or give provider.descriptorSet.")
            return nil
        }
    }
}
