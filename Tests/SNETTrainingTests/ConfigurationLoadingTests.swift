import Testing
@testable import SNETTraining

@Suite("Configuration file, environment and command line")
struct ConfigurationLoadingTests {}
