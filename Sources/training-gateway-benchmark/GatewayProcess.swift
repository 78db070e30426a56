import Foundation

/// The `training-gateway` executable built next to this benchmark, started as an operator would:
/// a configuration file, the request log at `info`, the admin listener (Prometheus metrics) on.
enum GatewayProcess {
    /// A trainer that accepts any dataset and writes a one-file model.
    static let trainerScript = #"if [ "$1" = train ]; then echo weights > "$5/model"; fi; echo '{"report": "ok"}'"#

    /// - Parameter executable: the gateway to run; nil for the one built next to this benchmark.
    static func start(executable: String?, providerPort: Int, port: Int, scratch: URL) throws -> ChildProcess {
        let descriptorSet = scratch.appending(path: "provider.protoset")
        try BenchmarkMethod.descriptorSet().write(to: descriptorSet)
        let configuration: [String: Any] = [
            "logLevel": "info",
            "server": ["host": "127.0.0.1", "port": port, "dataDirectory": scratch.appending(path: "data").path(percentEncoded: false)],
            "admin": ["port": try LoopbackPort.free()],
            "provider": ["descriptorSet": descriptorSet.path(percentEncoded: false), "endpoint": "127.0.0.1:\(providerPort)"],
            "methods": ["stt": ["trainer": ["command": ["/bin/sh", "-c", trainerScript, "trainer"]]]],
        ]
        let file = scratch.appending(path: "gateway.json")
        try JSONSerialization.data(withJSONObject: configuration, options: [.prettyPrinted]).write(to: file)
        return try ChildProcess(
            name: "training-gateway", executable: try executable ?? sibling("training-gateway"),
            arguments: ["--config", file.path(percentEncoded: false)], log: scratch.appending(path: "gateway.log")
        )
    }

    /// An executable of this package, in the directory this one was built in.
    static func sibling(_ name: String) throws -> String {
        let me = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let path = URL(filePath: me).deletingLastPathComponent().appending(path: name).path(percentEncoded: false)
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw BenchmarkFailure("\(path) is missing: build it first (swift build --product \(name), with the same -c and --scratch-path)")
        }
        return path
    }
}
