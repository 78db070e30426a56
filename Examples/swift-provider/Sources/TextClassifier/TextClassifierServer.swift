public import Foundation
public import Logging
public import SNETTraining

/// Builds the server: `classifier.TextClassifier` and `training.Model` on one port, as the daemon
/// expects (its `model_maintenance_endpoint` and the service endpoint are the same address).
public enum TextClassifierServer {
    /// The compiled `Protos/classifier.proto` with its imports (scripts/generate-protos.sh): the
    /// library finds the trainable methods and their `training.*` limits in it.
    public static func descriptorSet() throws -> Data {
        guard let url = Bundle.module.url(forResource: "classifier", withExtension: "protoset") else {
            throw CocoaError(.fileNoSuchFile)
        }
        return try Data(contentsOf: url)
    }

    public static func make(
        configuration: TrainingServerConfiguration,
        limits: ClassifierLimits = .defaults,
        logger: Logger
    ) async throws -> TrainingServer {
        let training = try await TrainingServerBuilder.open(descriptorSet: descriptorSet(), configuration: configuration, logger: logger)
        // One endpoint per trainable method; no default model here, so `classify` needs a model id.
        let classify = try training.endpoint(service: "classifier.TextClassifier", method: "classify", trainer: TextTrainer())
        return try training.makeServer(services: [TextClassifierHandler(classify: classify, limits: limits)])
    }
}
