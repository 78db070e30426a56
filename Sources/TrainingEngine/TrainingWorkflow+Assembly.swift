public import Logging
public import TrainingCore
public import TrainingDatasets
public import TrainingJobs

extension TrainingWorkflow {
    /// The workflow and the job runner that carries out its background work, wired together over
    /// one registry: what every front end (the gRPC server, tests, a gateway) runs. Run the
    /// returned runner (a `Service`) for jobs to execute. Both wait on `sleeper` (the job runner's
    /// polls, heartbeats and time limit; an upload's idle timeout), so tests can move time.
    public static func assemble(
        registry: any ModelRegistry,
        catalog: TrainableMethodCatalog,
        bindings: [MethodName: TrainerBinding],
        files: ModelFiles,
        links: DatasetLinkFetcher,
        policies: MethodPolicies = .defaults,
        limits: ServerLimits = .defaults,
        jobs: JobRunnerConfiguration = .defaults,
        clock: WallClock = .system,
        sleeper: some Clock<Duration> = ContinuousClock(),
        logger: Logger
    ) -> (workflow: TrainingWorkflow, runner: JobRunner) {
        let runner = JobRunner(
            registry: registry,
            handler: ModelJobHandler(registry: registry, bindings: bindings, files: files, links: links, clock: clock, logger: logger),
            configuration: jobs,
            clock: clock,
            sleeper: sleeper,
            logger: logger
        )
        let workflow = TrainingWorkflow(
            registry: registry, catalog: catalog, bindings: bindings, files: files, links: links,
            policies: policies, limits: limits, jobs: runner, clock: clock, sleeper: sleeper, logger: logger
        )
        return (workflow, runner)
    }
}
