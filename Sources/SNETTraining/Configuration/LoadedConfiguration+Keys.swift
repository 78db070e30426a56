import Foundation
import Logging
import TrainingCore
import TrainingDatasets

// Every key the configuration file, environment and command line may set. docs/configuration.md
// and config/stt-service.yaml list the same keys.
extension LoadedConfiguration {
    mutating func read(from settings: SettingsReader, methods: [TrainableMethod]) {
        if let level = settings.choice(["logLevel"], of: Logger.Level.self) { logLevel = level }
        readServer(settings)
        readJobs(settings)
        readLinks(settings)
        readLimits(settings)
        readBounds(settings)
        readOperations(from: settings)
        let fallbackAccess = settings.choice(["access"], of: ModelAccessPolicy.self)
        if let fallbackAccess { server.policies.fallback.access = fallbackAccess }
        for method in methods.sorted(by: { $0.name < $1.name }) {
            readMethod(method, section: ["methods", Self.sectionName(of: method, among: methods)], settings: settings)
        }
    }

    /// A method's section: its name (`stt`) when no other trainable method shares it, else
    /// `service/method` with the full service name (`service.ExampleService/stt`).
    package static func sectionName(of method: TrainableMethod, among methods: [TrainableMethod]) -> String {
        methods.filter { $0.name.method == method.name.method }.count == 1
            ? method.name.method : method.name.description
    }

    private mutating func readServer(_ settings: SettingsReader) {
        if let host = settings.string(["server", "host"]) {
            if host.isEmpty {
                settings.problem("server.host", "must not be empty; use 127.0.0.1, or 0.0.0.0 for every interface.")
            }
            server.host = host
        }
        if let port = settings.int(["server", "port"], in: 0...65_535) { server.port = port }
        if let directory = settings.string(["server", "dataDirectory"]) {
            if directory.isEmpty { settings.problem("server.dataDirectory", "must not be empty.") }
            server.dataDirectory = URL(filePath: directory, directoryHint: .isDirectory)
        }
        if let url = settings.string(["server", "registryURL"]) {
            let scheme = url.split(separator: ":").first.map { $0.lowercased() } ?? ""
            if !url.isEmpty, scheme != "postgres", scheme != "postgresql" {
                settings.problem("server.registryURL", "must be empty (SQLite in the data directory) or postgres://user:password@host:5432/database.")
            }
            server.registryURL = url.isEmpty ? nil : url
        }
        if let bytes = settings.int(["server", "maxRequestMessageBytes"], in: 1_048_576...Int(Int32.max)) {
            server.maxRequestMessageBytes = bytes
        }
        // HTTP/2's own bounds: a window of at most 2^31 - 1 bytes, frames of 2^14 to 2^24 - 1 bytes.
        if let window = settings.int(["server", "http2WindowBytes"], in: 65_535...Int(Int32.max)) {
            server.http2.targetWindowSize = window
        }
        if let frame = settings.int(["server", "http2MaxFrameBytes"], in: 16_384...16_777_215) {
            server.http2.maxFrameSize = frame
        }
        if let loaded = settings.int(["server", "loadedModelsPerMethod"], in: 1...10_000) {
            server.loadedModelsPerMethod = loaded
        }
    }

    private mutating func readJobs(_ settings: SettingsReader) {
        if let concurrency = settings.int(["jobs", "concurrency"], in: 1...1_024) {
            server.jobs.concurrency = concurrency
        }
        if let worker = settings.string(["jobs", "workerName"]) {
            if worker.isEmpty {
                settings.problem(
                    "jobs.workerName",
                    "must not be empty; each node sharing a registry needs its own name."
                )
            }
            server.jobs.workerName = worker
        }
        if let lease = settings.int(["jobs", "leaseSeconds"], in: 1...86_400) { server.jobs.lease = .seconds(lease) }
        if let attempts = settings.int(["jobs", "maxAttempts"], in: 1...100) { server.jobs.maxAttempts = attempts }
    }

    private mutating func readLinks(_ settings: SettingsReader) {
        if let root = settings.string(["links", "fileLinkRoot"]) {
            server.links.fileLinkRoot = root.isEmpty ? nil : URL(filePath: root, directoryHint: .isDirectory)
        }
        if let hosts = settings.strings(["links", "allowedHosts"]) {
            server.links.allowedHosts = hosts.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        if let seconds = settings.int(["links", "connectTimeoutSeconds"], in: 1...3_600) {
            server.links.connectTimeout = .seconds(seconds)
        }
        if let seconds = settings.int(["links", "downloadTimeoutSeconds"], in: 1...86_400) {
            server.links.downloadTimeout = .seconds(seconds)
        }
        if let redirects = settings.int(["links", "maxRedirects"], in: 0...20) {
            server.links.maxRedirects = redirects
        }
    }

    private mutating func readLimits(_ settings: SettingsReader) {
        if let models = settings.int(["limits", "maxLiveModels"], in: 0...Int.max) {
            server.limits.maxLiveModels = models
        }
        if let jobs = settings.int(["limits", "maxPendingJobs"], in: 0...Int.max) {
            server.limits.maxPendingJobs = jobs
        }
    }

    private mutating func readMethod(_ method: TrainableMethod, section: [String], settings: SettingsReader) {
        var policy = server.policies[method.name]
        if let access = settings.choice(section + ["access"], of: ModelAccessPolicy.self) { policy.access = access }
        if let quota = settings.int(section + ["maxModelsPerUser"], in: 0...Int.max) {
            policy.maxModelsPerUser = UInt64(quota)
            if UInt64(quota) != method.options.maxModelsPerUser {
                notes.append(
                    "\(settings.display(section + ["maxModelsPerUser"])) = \(quota) replaces the proto's max_models_per_user = \(method.options.maxModelsPerUser); consumers are shown the proto's value."
                )
            }
        }
        if let pricing = Self.readPricing(section: section + ["pricing"], method: method, settings: settings) {
            policy.pricing = pricing
        }
        server.policies[method.name] = policy
    }
}
