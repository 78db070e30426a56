public import Foundation
public import Logging
public import SNETTraining

/// Everything `training-gateway` runs with: the training server's settings (the same keys as
/// `stt-service`), the provider's service, and each trainable method's trainer.
public struct GatewayConfiguration: Sendable {
    /// Where the provider's service runs and what it declares.
    public struct Provider: Sendable {
        /// The provider's compiled descriptor set (`protoc --include_imports --descriptor_set_out=…`).
        public var descriptorSet: Data
        /// `host:port` of the provider's running gRPC server.
        public var host: String
        public var port: Int
        /// Whether to connect with TLS (the provider's certificate is verified).
        public var tls: Bool
        /// PEM file of the certificates that sign the provider's certificate; nil for the system's.
        public var caFile: String?
        /// Largest response message the gateway accepts from the provider, in bytes.
        public var maxResponseMessageBytes: Int

        public init(descriptorSet: Data, host: String, port: Int, tls: Bool = false, caFile: String? = nil, maxResponseMessageBytes: Int = 8 * 1024 * 1024) {
            self.descriptorSet = descriptorSet
            self.host = host
            self.port = port
            self.tls = tls
            self.caFile = caFile
            self.maxResponseMessageBytes = maxResponseMessageBytes
        }
    }

    public var server: TrainingServerConfiguration
    public var provider: Provider
    /// The trainer of each trainable method.
    public var trainers: [MethodName: TrainerCommand]
    public var logLevel: Logger.Level
    /// Things worth logging once logging is set up.
    public var notes: [String]

    public init(
        server: TrainingServerConfiguration,
        provider: Provider,
        trainers: [MethodName: TrainerCommand],
        logLevel: Logger.Level = .info,
        notes: [String] = []
    ) {
        self.server = server
        self.provider = provider
        self.trainers = trainers
        self.logLevel = logLevel
        self.notes = notes
    }

    /// Where trainer runs get their working directories: inside the data directory, so they live
    /// on the same file system as the datasets and models.
    public var trainerWorkRoot: URL {
        server.dataDirectory.appending(path: "trainer-runs", directoryHint: .isDirectory)
    }
}
