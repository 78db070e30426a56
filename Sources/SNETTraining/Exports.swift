// What a provider needs to make a service trainable, through one import.
@_exported public import TrainingCore
@_exported public import TrainingDatasets
@_exported public import TrainingEngine
@_exported public import TrainingGRPC
@_exported public import TrainingJobs
@_exported public import TrainingProto
@_exported public import TrainingRegistry
