import Foundation
import SNETTraining
import Testing
import TrainingGateway

/// The gateway's configuration: one file, environment and flags, the library's keys and the
/// gateway's own, every problem named by its key.
@Suite("Gateway configuration")
struct GatewayConfigurationTests {
    static let example = URL(filePath: #filePath).deletingLastPathComponent().appending(path: "../../Examples/python-intent").standardizedFileURL

    private func write(_ yaml: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appending(path: "gateway-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Self.example.appending(path: "intent.protoset"), to: directory.appending(path: "intent.protoset"))
        try Data("print()".utf8).write(to: directory.appending(path: "train.py"))
        let file = directory.appending(path: "gateway.yaml")
        try Data(yaml.utf8).write(to: file)
        return file.path(percentEncoded: false)
    }

    private func load(
        _ path: String, environment: [String: String] = [:], flags: [String: ConfigurationSources.Value] = [:]
    ) async throws(ConfigurationError) -> GatewayConfiguration {
        try await GatewayConfiguration.load(
            sources: ConfigurationSources(filePath: path, environment: environment, environmentPrefix: "TRAINING_GATEWAY", commandLine: flags)
        )
    }

    @Test("a complete file: provider, trainers with paths made absolute, the library's keys; environment and flags win")
    func loads() async throws {
        let path = try write(
            """
            server: {port: 6000, dataDirectory: /tmp/gw}
            provider: {descriptorSet: intent.protoset, endpoint: "http://127.0.0.1:50051"}
            methods:
              classify:
                access: restricted
                pricing: {policy: flat, training: {price: 7}}
                trainer: &t {command: [sh, train.py, --fast], timeLimitSeconds: 30, concurrency: 2, environment: ["A=1"]}
              rank:
                trainer: *t
            """
        )
        let loaded = try await load(path, environment: ["TRAINING_GATEWAY_SERVER_PORT": "6001"], flags: ["provider.endpoint": .string("localhost:7000")])
        #expect(loaded.server.port == 6001)
        #expect((loaded.provider.host, loaded.provider.port, loaded.provider.tls) == ("localhost", 7000, false))
        let classify = try #require(loaded.trainers[MethodName(service: "intent.IntentClassifier", method: "classify")])
        let directory = URL(filePath: path).deletingLastPathComponent().path(percentEncoded: false)
        #expect(classify.executable.hasSuffix("/sh"))
        #expect(classify.arguments == [URL(filePath: directory).appending(path: "train.py").path(percentEncoded: false), "--fast"])
        #expect(classify.timeLimit == .seconds(30) && classify.concurrency == 2 && classify.environment == ["A": "1"])
        #expect(loaded.trainers.count == 2)
        let name = MethodName(service: "intent.IntentClassifier", method: "classify")
        #expect(loaded.server.policies[name].access == .restricted)
    }

    @Test("every problem at once, each naming its key and source")
    func problems() async throws {
        let path = try write(
            """
            server: {port: 70000}
            provider: {descriptorSet: intent.protoset, endpoint: "no-port", hots: typo}
            methods:
              classify:
                trainer: {command: [sh, train.py], timeLimitSeconds: soon, concurency: 2}
                pricing: {policy: flat, training: {prize: 7}}
              rank:
                trainer: {timeLimitSeconds: 10}
            """
        )
        do {
            _ = try await load(path, environment: ["TRAINING_GATEWAY_JOBS_CONCURRENCY": "many"])
            Issue.record("the configuration was accepted")
        } catch {
            let keys = Set(error.problems.map(\.key))
            #expect(
                keys.isSuperset(of: [
                    "provider.endpoint", "methods.classify.trainer.timeLimitSeconds", "methods.rank.trainer.command",
                    "server.port", "jobs.concurrency", "methods.classify.pricing.training.prize",
                    // The gateway's own sections are checked for keys nothing reads, like the library's.
                    "provider.hots", "methods.classify.trainer.concurency",
                ]), "\(error)")
            #expect(error.description.contains("(from the file \(path))"))
        }
    }

    @Test("the descriptor set is required and must declare a trainable method")
    func descriptorSet() async throws {
        let path = try write("provider: {endpoint: 127.0.0.1:1}\n")
        do {
            _ = try await load(path)
            Issue.record("accepted without a descriptor set")
        } catch {
            #expect(error.problems.contains { $0.key == "provider.descriptorSet" })
        }
    }

    @Test("the job bound leaves every trainer its whole run: derived when unset, refused naming both keys when set below")
    func jobBound() async throws {
        let trainers = """
            provider: {descriptorSet: intent.protoset, endpoint: "127.0.0.1:1"}
            methods:
              classify: {trainer: {command: [sh, train.py]}}
              rank: {trainer: {command: [sh, train.py], timeLimitSeconds: 9000, gracePeriodSeconds: 30}}

            """
        // Unset: the longest run (9000 + 30 s) plus a minute, above the library's 3600.
        #expect(try await load(try write(trainers)).server.jobs.maxRunTime == .seconds(9_090))
        // Short trainers keep the library's default.
        let short = try write(
            """
            provider: {descriptorSet: intent.protoset, endpoint: "127.0.0.1:1"}
            methods:
              classify: {trainer: &t {command: [sh, train.py], timeLimitSeconds: 60}}
              rank: {trainer: *t}
            """
        )
        #expect(try await load(short).server.jobs.maxRunTime == .seconds(3_600))
        // Set high enough: kept as given.
        #expect(try await load(try write(trainers + "jobs: {maxRunTimeSeconds: 9030}\n")).server.jobs.maxRunTime == .seconds(9_030))

        // Set below a trainer's limit (here the default 7200 of classify, and rank's 9000): refused, one problem per method.
        let tooShort = try write(trainers + "jobs: {maxRunTimeSeconds: 3600}\n")
        do {
            _ = try await load(tooShort)
            Issue.record("a job bound below the trainers' time limits was accepted")
        } catch {
            let messages = error.problems.filter { $0.key == "jobs.maxRunTimeSeconds" }.map(\.message)
            #expect(messages.count == 2, "\(error)")
            #expect(messages.contains { $0.contains("methods.classify.trainer.timeLimitSeconds (7200)") && $0.contains("at least 7210") }, "\(messages)")
            #expect(messages.contains { $0.contains("methods.rank.trainer.timeLimitSeconds (9000)") && $0.contains("at least 9030") }, "\(messages)")
        }
        // The same through the environment.
        let unset = try write(trainers)
        do {
            _ = try await load(unset, environment: ["TRAINING_GATEWAY_JOBS_MAX_RUN_TIME_SECONDS": "7000"])
            Issue.record("a job bound below the trainers' time limits was accepted")
        } catch {
            #expect(error.problems.contains { $0.key == "jobs.maxRunTimeSeconds" && $0.message.hasPrefix("(7000) is below") }, "\(error)")
        }
    }
}
