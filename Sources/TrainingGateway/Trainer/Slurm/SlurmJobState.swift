/// A job as `scontrol -o show job ID` describes it: one line of `Key=Value` fields.
struct SlurmJobState: Sendable, Equatable {
    /// `PENDING`, `RUNNING`, `COMPLETED`, `FAILED`, `CANCELLED`, `TIMEOUT`, `NODE_FAIL`, `PREEMPTED`,
    /// `OUT_OF_MEMORY`, … (a `+` suffix, as in `CANCELLED+`, is dropped).
    var state: String
    /// Why it waits, or why it ended (`Resources`, `Priority`, `NodeDown`, `None`).
    var reason: String
    var partition: String
    var nodes: String
    /// `ExitCode=status:signal`: the batch script's.
    var exitStatus: Int32
    var exitSignal: Int32
    /// How long it has run.
    var runTime: Duration

    /// Waiting to start (the scheduler has not placed it yet, or holds it).
    var isPending: Bool { ["PENDING", "REQUEUED", "REQUEUE_HOLD", "REQUEUE_FED", "RESV_DEL_HOLD"].contains(state) }

    /// Placed on a node and not yet ended.
    var isRunning: Bool { ["RUNNING", "CONFIGURING", "COMPLETING", "SUSPENDED", "STOPPED", "SIGNALING", "STAGE_OUT", "RESIZING"].contains(state) }

    var isFinished: Bool { !isPending && !isRunning }

    /// Reads one line of `scontrol -o show job`; nil if it is not one.
    init?(scontrolLine line: String) {
        var fields: [Substring: Substring] = [:]
        for item in line.split(separator: " ") {
            guard let equals = item.firstIndex(of: "=") else { continue }
            let key = item[..<equals]
            if fields[key] == nil { fields[key] = item[item.index(after: equals)...] }
        }
        guard let state = fields["JobState"] else { return nil }
        self.state = String(state.split(separator: "+").first ?? state)
        reason = fields["Reason"].map(String.init) ?? "None"
        partition = fields["Partition"].map(String.init) ?? ""
        nodes = fields["NodeList"].map(String.init) ?? ""
        let exit = (fields["ExitCode"] ?? "0:0").split(separator: ":")
        exitStatus = exit.first.flatMap { Int32($0) } ?? 0
        exitSignal = exit.dropFirst().first.flatMap { Int32($0) } ?? 0
        runTime = Self.duration(fields["RunTime"] ?? "0")
    }

    init(
        state: String, reason: String = "None", partition: String = "", nodes: String = "", exitStatus: Int32 = 0, exitSignal: Int32 = 0,
        runTime: Duration = .zero
    ) {
        self.state = state
        self.reason = reason
        self.partition = partition
        self.nodes = nodes
        self.exitStatus = exitStatus
        self.exitSignal = exitSignal
        self.runTime = runTime
    }

    /// Slurm's `[days-]hours:minutes:seconds`.
    static func duration(_ text: Substring) -> Duration {
        var days = 0
        var clock = text
        if let dash = text.firstIndex(of: "-") {
            days = Int(text[..<dash]) ?? 0
            clock = text[text.index(after: dash)...]
        }
        let seconds = clock.split(separator: ":").reduce(0) { $0 * 60 + (Int($1) ?? 0) }
        return .seconds(days * 86_400 + seconds)
    }
}
