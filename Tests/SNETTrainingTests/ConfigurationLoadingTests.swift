import Foundation
import SNETTraining
import Testing

@Suite("Configuration file, environment variables and command line")
struct ConfigurationLoadingTests {
    static let stt = TrainableMethod(
        name: MethodName(service: "service.ExampleService", method: "stt"),
        options: TrainingOptions(
            defaultModelID: "default",
            maxModelsPerUser: 5,
            datasetMaxSizeMB: 200,
            datasetMaxCountFiles: 5000
        )
    )
    static let unbounded = TrainableMethod(
        name: MethodName(service: "other.Service", method: "tag"),
        options: TrainingOptions()
    )

    static let yaml = """
        logLevel: debug
        server:
          host: 0.0.0.0
          port: 6000
          dataDirectory: /var/lib/stt
          http2WindowBytes: 16777216
          http2MaxFrameBytes: 65536
        jobs:
          concurrency: 3
        links:
          allowedHosts: [files.internal, 10.0.0.0/8]
          maxRedirects: 2
        limits:
          maxLiveModels: 50
          maxPendingJobs: 7
        access: restricted
        methods:
          stt:
            access: open
            maxModelsPerUser: 3
            pricing:
              policy: dataset
              validation:
                base: 10
              training:
                base: 100
                perMebibyte: 20
                perFile: 1
                minimum: 150
                maximum: 9000
        """

    /// Writes `text` to a temporary file named `name` and loads it with `environment` and `commandLine`.
    static func load(
        _ text: String,
        name: String = "service.yaml",
        environment: [String: String] = [:],
        commandLine: [String: ConfigurationSources.Value] = [:],
        methods: [TrainableMethod] = [stt]
    ) async throws -> LoadedConfiguration {
        let directory = FileManager.default.temporaryDirectory.appending(path: "config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appending(path: name)
        try Data(text.utf8).write(to: file)
        let sources = ConfigurationSources(
            filePath: file.path(percentEncoded: false),
            environment: environment,
            environmentPrefix: "STT_SERVICE",
            commandLine: commandLine
        )
        return try await sources.load(methods: methods)
    }

    /// The problems a configuration is refused with.
    static func problems(
        _ text: String,
        name: String = "service.yaml",
        environment: [String: String] = [:],
        methods: [TrainableMethod] = [stt]
    ) async -> [ConfigurationError.Problem] {
        do {
            _ = try await load(text, name: name, environment: environment, methods: methods)
            Issue.record("the configuration was accepted")
            return []
        } catch let error as ConfigurationError {
            return error.problems
        } catch {
            Issue.record("unexpected error \(error)")
            return []
        }
    }

    @Test("variables with the prefix that name no setting are problems, one each; variables that do are read")
    func unknownVariables() async throws {
        let sources = ConfigurationSources(
            filePath: nil,
            environment: ["STT_SERVICE_SERVER_PORT": "6001", "STT_SERVICE_SERVR_HOST": "x", "STT_SERVICE_JOBS_CONCURENCY": "2", "OTHER_THING": "1"],
            environmentPrefix: "STT_SERVICE"
        )
        let error = await #expect(throws: ConfigurationError.self) { try await sources.load(methods: []) }
        #expect(error?.problems.map(\.key) == ["STT_SERVICE_JOBS_CONCURENCY", "STT_SERVICE_SERVR_HOST"])
        let fine = ConfigurationSources(filePath: nil, environment: ["STT_SERVICE_SERVER_PORT": "6001"], environmentPrefix: "STT_SERVICE")
        #expect(try await fine.load(methods: []).server.port == 6001)
    }

    @Test("a YAML file sets every section")
    func yamlFile() async throws {
        let loaded = try await Self.load(Self.yaml)
        let server = loaded.server
        #expect("\(loaded.logLevel)" == "debug")
        #expect(server.host == "0.0.0.0" && server.port == 6000)
        #expect(server.dataDirectory.path(percentEncoded: false).hasPrefix("/var/lib/stt"))
        #expect(server.jobs.concurrency == 3)
        #expect(server.http2 == HTTP2Settings(targetWindowSize: 16 << 20, maxFrameSize: 64 << 10))
        #expect(server.links.allowedHosts == ["files.internal", "10.0.0.0/8"] && server.links.maxRedirects == 2)
        #expect(server.limits == ServerLimits(maxLiveModels: 50, maxPendingJobs: 7))
        let policy = server.policies[Self.stt.name]
        #expect(policy.access == .open && server.policies.fallback.access == .restricted)
        #expect(policy.maxModelsPerUser == 3)
        #expect(loaded.notes.contains { $0.contains("max_models_per_user = 5") })
        let pricing = try #require(policy.pricing as? DatasetPricing)
        #expect(pricing.validation == DatasetPricing.Rate(base: 10))
        #expect(
            pricing.training == DatasetPricing.Rate(base: 100, perMebibyte: 20, perFile: 1, minimum: 150, maximum: 9000)
        )
    }

    @Test("a JSON file reads the same keys")
    func jsonFile() async throws {
        let json = """
            {"server": {"port": 7000}, "methods": {"stt": {"access": "restricted",
             "pricing": {"policy": "flat", "validation": {"price": 2}, "training": {"price": 30}}}}}
            """
        let loaded = try await Self.load(json, name: "service.json")
        #expect(loaded.server.port == 7000)
        let pricing = try #require(loaded.server.policies[Self.stt.name].pricing as? FlatPricing)
        #expect(pricing.validationCogs == 2 && pricing.trainingCogs == 30)
        #expect(loaded.server.policies[Self.stt.name].access == .restricted)
    }

    @Test("environment variables win over the file, command-line values over both")
    func precedence() async throws {
        let environment = [
            "STT_SERVICE_SERVER_PORT": "6001",
            "STT_SERVICE_SERVER_HOST": "10.1.1.1",
            "STT_SERVICE_METHODS_STT_PRICING_TRAINING_PER_MEBIBYTE": "99",
            "STT_SERVICE_LINKS_ALLOWED_HOSTS": "a.internal, b.internal",
            "SERVER_PORT": "1",  // not under the prefix: never read
        ]
        let loaded = try await Self.load(Self.yaml, environment: environment, commandLine: ["server.port": .int(6002)])
        #expect(loaded.server.port == 6002)
        #expect(loaded.server.host == "10.1.1.1")
        #expect(loaded.server.links.allowedHosts == ["a.internal", "b.internal"])
        let pricing = try #require(loaded.server.policies[Self.stt.name].pricing as? DatasetPricing)
        #expect(pricing.training.perMebibyte == 99 && pricing.training.base == 100)
    }

    @Test("without a file, the environment alone configures the server; unset keys keep the defaults")
    func environmentOnly() async throws {
        let sources = ConfigurationSources(
            filePath: nil,
            environment: ["STT_SERVICE_LIMITS_MAX_LIVE_MODELS": "9", "STT_SERVICE_METHODS_STT_ACCESS": "RESTRICTED"],
            environmentPrefix: "STT_SERVICE"
        )
        let loaded = try await sources.load(methods: [Self.stt])
        #expect(loaded.server.limits.maxLiveModels == 9)
        #expect(loaded.server.limits.maxPendingJobs == ServerLimits.defaults.maxPendingJobs)
        #expect(loaded.server.policies[Self.stt.name].access == .restricted)
        #expect(loaded.server.policies[Self.stt.name].pricing is FlatPricing)
        #expect(loaded.server.port == 5002 && "\(loaded.logLevel)" == "info")
    }

    @Test("environment variable names follow swift-configuration's rule")
    func variableNames() {
        let sources = ConfigurationSources(filePath: nil, environment: [:], environmentPrefix: "STT_SERVICE")
        #expect(sources.environmentVariable(for: "server.dataDirectory") == "STT_SERVICE_SERVER_DATA_DIRECTORY")
        #expect(
            sources.environmentVariable(for: "methods.stt.pricing.training.perMebibyte")
                == "STT_SERVICE_METHODS_STT_PRICING_TRAINING_PER_MEBIBYTE"
        )
        #expect(sources.environmentVariable(for: "limits.maxLiveModels") == "STT_SERVICE_LIMITS_MAX_LIVE_MODELS")
    }

    @Test("bad values are refused, each problem naming its key and where the value came from")
    func badValues() async {
        let problems = await Self.problems(
            """
            server:
              port: 70000
              host: ""
              http2MaxFrameBytes: 1024
            access: closed
            methods:
              stt:
                maxModelsPerUser: many
                pricing:
                  policy: dataset
                  training:
                    base: -1
                    minimum: 10
                    maximum: 5
            """,
            environment: ["STT_SERVICE_JOBS_CONCURRENCY": "zero"]
        )
        let byKey = Dictionary(problems.map { ($0.key, $0.message) }, uniquingKeysWith: { $0 + " / " + $1 })
        #expect(byKey["server.port"]?.contains("between 0 and 65535") == true)
        #expect(byKey["server.host"] != nil)
        #expect(byKey["server.http2MaxFrameBytes"]?.contains("between 16384 and 16777215") == true)
        #expect(byKey["access"]?.contains("open, restricted") == true)
        #expect(byKey["methods.stt.maxModelsPerUser"]?.contains("whole number") == true)
        #expect(byKey["methods.stt.pricing.training.base"]?.contains("at least 0") == true)
        #expect(byKey["methods.stt.pricing.training.minimum"]?.contains("above maximum") == true)
        #expect(byKey["jobs.concurrency"]?.contains("STT_SERVICE_JOBS_CONCURRENCY") == true)
        #expect(problems.count == 8, "\(problems)")
    }

    @Test("keys nothing reads are refused: typos, methods that are not trainable, keys of another policy")
    func unknownKeys() async {
        let problems = await Self.problems(
            """
            server:
              prot: 5002
            methods:
              basic_stt:
                access: open
              stt:
                pricing:
                  policy: flat
                  training:
                    perFile: 3
            """
        )
        #expect(
            Set(problems.map(\.key)) == [
                "server.prot", "methods.basic_stt", "methods.stt.pricing.training.perFile",
            ]
        )
        #expect(problems.filter { $0.key != "methods.basic_stt" }.allSatisfy { $0.message.contains("not a setting") })
        #expect(problems.first { $0.key == "methods.basic_stt" }?.message == "no trainable method `basic_stt` (trainable: stt).")
    }

    @Test("a misspelt method name is one problem naming the trainable methods, whatever the section holds")
    func misspeltMethod() async {
        let problems = await Self.problems(
            """
            methods:
              sst:
                access: restricted
                maxModelsPerUser: 2
                pricing:
                  policy: flat
            """
        )
        #expect(problems == [.init(key: "methods.sst", message: "no trainable method `sst` (trainable: stt); did you mean stt?")])
        let error = ConfigurationError(problems: problems)
        #expect(error.description == "The configuration is not valid: methods.sst: no trainable method `sst` (trainable: stt); did you mean stt?")
    }

    @Test("an unknown pricing policy, and a per-MiB validation rate with no declared size and no maximum, are refused")
    func pricingRules() async {
        var problems = await Self.problems("methods:\n  stt:\n    pricing:\n      policy: per-word\n")
        #expect(problems.map(\.key) == ["methods.stt.pricing.policy"])
        #expect(problems.first?.message.contains("flat, dataset") == true)

        problems = await Self.problems(
            "methods:\n  tag:\n    pricing:\n      policy: dataset\n      validation:\n        perMebibyte: 5\n",
            methods: [Self.stt, Self.unbounded]
        )
        #expect(problems.map(\.key) == ["methods.tag.pricing.validation.maximum"])
        #expect(problems.first?.message.contains("dataset_max_size_mb") == true)
    }

    @Test("methods sharing a name across services are configured by their full name")
    func fullMethodNames() async throws {
        let twin = TrainableMethod(
            name: MethodName(service: "other.Service", method: "stt"),
            options: TrainingOptions()
        )
        let loaded = try await Self.load(
            """
            methods:
              service.ExampleService/stt:
                access: restricted
              other.Service/stt:
                maxModelsPerUser: 1
            """,
            methods: [Self.stt, twin]
        )
        #expect(loaded.server.policies[Self.stt.name].access == .restricted)
        #expect(loaded.server.policies[twin.name].maxModelsPerUser == 1)
        #expect(loaded.server.policies[twin.name].access == .open)
    }

    @Test("a missing or unparsable file is refused naming the file")
    func unreadableFile() async {
        let sources = ConfigurationSources(
            filePath: "/nonexistent/stt.yaml",
            environment: [:],
            environmentPrefix: "STT_SERVICE"
        )
        do {
            _ = try await sources.load(methods: [Self.stt])
            Issue.record("a missing file was accepted")
        } catch {
            #expect(
                error.problems == [
                    .init(
                        key: "/nonexistent/stt.yaml",
                        message: "the configuration file does not exist (--config or STT_SERVICE_CONFIG names it); check the path."
                    )
                ]
            )
        }
        let problems = await Self.problems("server: [unclosed", name: "broken.yaml")
        #expect(problems.count == 1 && problems.first?.key.hasSuffix("broken.yaml") == true)
    }

    @Test("the shipped config/stt-service.yaml loads without problems")
    func shippedFile() async throws {
        let file = URL(filePath: #filePath).deletingLastPathComponent().appending(path: "../../config/stt-service.yaml")
            .standardizedFileURL
        let sources = ConfigurationSources(
            filePath: file.path(percentEncoded: false),
            environment: [:],
            environmentPrefix: "STT_SERVICE"
        )
        let opened = try await sources.open()
        // stt-service's own key, read first as the service does, so it counts as known.
        #expect(opened.int("speech.maxClipSeconds", in: 1...600) == 10)
        let loaded = try opened.load(methods: [Self.stt])
        let policy = loaded.server.policies[Self.stt.name]
        #expect(policy.pricing is DatasetPricing && policy.access == .restricted && policy.maxModelsPerUser == 5)
        #expect(!loaded.notes.contains { $0.contains("replaces") }, "the shipped quota matches the proto")
    }
}
