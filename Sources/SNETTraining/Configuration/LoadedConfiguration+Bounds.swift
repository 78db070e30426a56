import TrainingCore

// The bounds that keep one node responsive under any input (docs/service.md, "Limits and protections").
extension LoadedConfiguration {
    mutating func readBounds(_ settings: SettingsReader) {
        if let seconds = settings.int(["jobs", "maxRunTimeSeconds"], in: 1...604_800) {
            server.jobs.maxRunTime = .seconds(seconds)
        }
        if let days = settings.int(["jobs", "deletedModelRetentionDays"], in: 0...36_500) {
            server.jobs.deletedModelRetention = days == 0 ? nil : .seconds(days * 86_400)
        }
        if let seconds = settings.int(["limits", "uploadIdleTimeoutSeconds"], in: 1...3_600) {
            server.limits.uploadIdleTimeout = .seconds(seconds)
        }
        if let mebibytes = settings.int(["limits", "diskReserveMebibytes"], in: 0...16_777_216) {
            server.limits.diskReserveBytes = UInt64(mebibytes) << 20
        }
        if let concurrency = settings.int(["inference", "concurrency"], in: 1...1_024) {
            server.inference.concurrency = concurrency
        }
        if let queue = settings.int(["inference", "queueLength"], in: 0...10_000) {
            server.inference.queueLength = queue
        }
        if let threads = settings.int(["inference", "threads"], in: 1...1_024) {
            server.inference.threads = threads
        }
    }
}
