// What a provider writes against, through `import SNETTraining`: this module's builder, server,
// configuration and logging, and the declarations below from the modules underneath. Everything
// else those modules make public serves the package's other products (TrainingClient,
// TrainingRegistry, TrainingJobs) or its own targets, and is not part of this facade.
// api/SNETTraining.txt lists the result (scripts/api-surface.sh); adding a line here is a decision.

// The trainer a provider implements for each trainable method.
@_exported public import protocol TrainingCore.Trainer
@_exported public import struct TrainingCore.TrainingReport
@_exported public import struct TrainingCore.ConfusionMatrix
@_exported public import struct TrainingCore.DatasetRejected
@_exported public import struct TrainingCore.ProgressReporter

// The trainable methods, as the descriptor set declares them.
@_exported public import struct TrainingCore.TrainableMethod
@_exported public import struct TrainingCore.TrainingOptions
@_exported public import struct TrainingCore.MethodName
@_exported public import struct TrainingEngine.TrainableMethodCatalog

// Inference with the model a request names; the request's `training.ModelID` field.
@_exported public import class TrainingEngine.InferenceEndpoint
@_exported public import struct TrainingEngine.InferenceCaller
@_exported public import typealias TrainingGRPC.TrainableEndpoint
@_exported public import struct TrainingProto.Training_ModelID

// Models as pricing and access policies see them.
@_exported public import enum TrainingCore.ModelStatus
@_exported public import struct TrainingCore.ModelRecord

// Errors a trainer or a handler throws, mapped to gRPC status codes by the server.
@_exported public import struct TrainingCore.TrainingError

// Policies per method: price, who may use a model, how many models a user may have.
@_exported public import protocol TrainingCore.PricingPolicy
@_exported public import struct TrainingCore.FlatPricing
@_exported public import struct TrainingCore.DatasetPricing
@_exported public import struct TrainingCore.ValidationPriceRequest
@_exported public import struct TrainingCore.TrainingPriceRequest
@_exported public import struct TrainingCore.DatasetStatistics
@_exported public import enum TrainingCore.ModelAccessPolicy
@_exported public import struct TrainingCore.MethodPolicy
@_exported public import struct TrainingCore.MethodPolicies

// The parts of TrainingServerConfiguration defined underneath.
@_exported public import struct TrainingCore.InferenceLimits
@_exported public import struct TrainingCore.ServerLimits
@_exported public import struct TrainingJobs.JobRunnerConfiguration
@_exported public import struct TrainingDatasets.DatasetLinkPolicy
@_exported public import struct TrainingOperations.AdminListenerConfiguration
@_exported public import struct TrainingOperations.DashboardCredentials
