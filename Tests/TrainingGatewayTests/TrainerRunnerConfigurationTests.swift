import Foundation
import SNETTraining
import Testing
import TrainingGateway

/// `methods.<method>.trainer.runner` and `trainer.slurm.*`: read, checked, every problem named by its key.
@Suite("Trainer runner configuration")
struct TrainerRunnerConfigurationTests {
    private func load(_ yaml: String) async throws(ConfigurationError) -> GatewayConfiguration {
        let directory = FileManager.default.temporaryDirectory.appending(path: "gateway-runner-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try? FileManager.default.copyItem(
            at: GatewayConfigurationTests.example.appending(path: "intent.protoset"), to: directory.appending(path: "intent.protoset")
        )
        let file = directory.appending(path: "gateway.yaml")
        try? Data(yaml.utf8).write(to: file)
        return try await GatewayConfiguration.load(
            sources: ConfigurationSources(filePath: file.path(percentEncoded: false), environment: [:], environmentPrefix: "TRAINING_GATEWAY")
        )
    }

    private let classify = MethodName(service: "intent.IntentClassifier", method: "classify")

    @Test("local by default; slurm with its options")
    func reads() async throws {
        let loaded = try await load(
            """
            provider: {descriptorSet: intent.protoset, endpoint: 127.0.0.1:1}
            methods:
              classify:
                trainer:
                  command: [sh]
                  runner: slurm
                  slurm:
                    partition: gpu
                    account: lab
                    gpus: "a100:2"
                    memory: 16G
                    cpusPerTask: 4
                    extraArguments: [--qos=long]
                    pendingLimitSeconds: 600
                    sharedDirectory: jobs
                    pollIntervalSeconds: 2
                    resubmissions: 1
              rank:
                trainer: {command: [sh]}
            """
        )
        let trainer = try #require(loaded.trainers[classify])
        guard case .slurm(let options) = trainer.runner else {
            Issue.record("not the Slurm runner")
            return
        }
        #expect(options.partition == "gpu" && options.account == "lab" && options.gpus == "a100:2" && options.memory == "16G")
        #expect(options.cpusPerTask == 4 && options.extraArguments == ["--qos=long"] && options.resubmissions == 1)
        #expect(options.pendingLimit == .seconds(600) && options.pollInterval == .seconds(2))
        #expect(options.sharedDirectory?.path(percentEncoded: false).hasSuffix("/jobs/") == true)
        #expect(loaded.trainers[MethodName(service: "intent.IntentClassifier", method: "rank")]?.runner == .local)
    }

    @Test("an unknown runner, bad Slurm values, and Slurm keys without the Slurm runner are refused, each by its key")
    func problems() async throws {
        do {
            _ = try await load(
                """
                provider: {descriptorSet: intent.protoset, endpoint: 127.0.0.1:1}
                methods:
                  classify:
                    trainer: {command: [sh], runner: kubernetes, slurm: {partition: gpu}}
                  rank:
                    trainer:
                      command: [sh]
                      runner: slurm
                      slurm: {partition: "two words", pendingLimitSeconds: 0, extraArguments: [qos], resubmissions: 99}
                """
            )
            Issue.record("the configuration was accepted")
        } catch {
            let keys = Set(error.problems.map(\.key))
            #expect(
                keys.isSuperset(of: [
                    "methods.classify.trainer.runner", "methods.rank.trainer.slurm.partition",
                    // Read only with runner: slurm, so unknown here.
                    "methods.classify.trainer.slurm.partition",
                    "methods.rank.trainer.slurm.pendingLimitSeconds", "methods.rank.trainer.slurm.extraArguments",
                    "methods.rank.trainer.slurm.resubmissions",
                ]), "\(error)")
            #expect(error.description.contains("write local"))
        }
    }
}
