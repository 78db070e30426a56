import SNETTraining

// The job bound (`jobs.maxRunTimeSeconds`) and the trainers' own limits (`trainer.timeLimitSeconds`)
// both stop a training. The job bound must leave every trainer its whole run, or trainings would be
// cut at the job bound with a reason that names the wrong limit.
extension GatewayConfiguration {
    /// The library's defaults, with a job bound long enough for the longest trainer run (its time
    /// limit, grace period and, on Slurm, the time it may wait in the queue) plus a minute for the
    /// work around the run, and never below the library's own default.
    static func base(for trainers: [MethodName: TrainerCommand]) -> TrainingServerConfiguration {
        var base = TrainingServerConfiguration.defaults
        let longest = trainers.values.map(longestRun(of:)).max() ?? .zero
        base.jobs.maxRunTime = max(base.jobs.maxRunTime, longest + .seconds(60))
        return base
    }

    /// The longest a training job of `command` can take before the trainer's own limits stop it.
    static func longestRun(of command: TrainerCommand) -> Duration {
        var run = max(command.timeLimit, command.validationTimeLimit) + command.gracePeriod
        if case .slurm(let options) = command.runner { run += options.pendingLimit }
        return run
    }

    /// A job bound set below a trainer's time limit (plus its grace period), one problem per
    /// method: each training would be stopped by the job bound before its own limit.
    static func jobBoundProblems(
        _ bound: Duration, trainers: [MethodName: TrainerCommand], sections: [MethodName: String]
    ) -> [ConfigurationError.Problem] {
        trainers.sorted(by: { $0.key < $1.key }).compactMap { name, command in
            let run = max(command.timeLimit, command.validationTimeLimit) + command.gracePeriod
            guard bound < run, let section = sections[name] else { return nil }
            return ConfigurationError.Problem(
                key: "jobs.maxRunTimeSeconds",
                message: "(\(bound.components.seconds)) is below \(section).trainer.timeLimitSeconds "
                    + "(\(command.timeLimit.components.seconds)) plus gracePeriodSeconds (\(command.gracePeriod.components.seconds)): "
                    + "every training of that method would be stopped by the job bound first. Raise jobs.maxRunTimeSeconds "
                    + "to at least \(run.components.seconds), lower \(section).trainer.timeLimitSeconds, or leave "
                    + "jobs.maxRunTimeSeconds unset: the gateway then sets it to cover every trainer."
            )
        }
    }
}
